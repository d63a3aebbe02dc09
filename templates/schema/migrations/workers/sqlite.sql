-- CreateTable
CREATE TABLE "BackgroundJobWorker" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "queues" TEXT NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "heartbeatAt" DATETIME NOT NULL,
    "jobIds" TEXT NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "BackgroundJobCount" (
    "minute" DATETIME NOT NULL,
    "worker" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("minute", "worker", "queue")
);
