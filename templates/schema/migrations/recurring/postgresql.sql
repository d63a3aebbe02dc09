-- CreateTable
CREATE TABLE "BackgroundJobSchedule" (
    "name" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "lastSlotAt" TIMESTAMP(3) NOT NULL,
    "lastRunSlotAt" TIMESTAMP(3),
    "lastRunAt" TIMESTAMP(3),
    "lastJobId" INTEGER,
    "pausedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BackgroundJobSchedule_pkey" PRIMARY KEY ("name")
);
