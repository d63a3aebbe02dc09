-- CreateTable
CREATE TABLE "BackgroundJobWorker" (
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "queues" TEXT NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "heartbeatAt" TIMESTAMP(3) NOT NULL,
    "jobIds" TEXT NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "BackgroundJobWorker_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "BackgroundJobCount" (
    "minute" TIMESTAMP(3) NOT NULL,
    "worker" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "BackgroundJobCount_pkey" PRIMARY KEY ("minute","worker","queue")
);
