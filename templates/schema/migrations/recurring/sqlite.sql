-- CreateTable
CREATE TABLE "BackgroundJobSchedule" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "cron" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "lastSlotAt" DATETIME NOT NULL,
    "lastRunSlotAt" DATETIME,
    "lastRunAt" DATETIME,
    "lastJobId" INTEGER,
    "pausedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
