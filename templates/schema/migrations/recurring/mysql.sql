-- CreateTable
CREATE TABLE `BackgroundJobSchedule` (
    `name` VARCHAR(191) NOT NULL,
    `cron` VARCHAR(191) NOT NULL,
    `timezone` VARCHAR(191) NOT NULL,
    `lastSlotAt` DATETIME(3) NOT NULL,
    `lastRunSlotAt` DATETIME(3) NULL,
    `lastRunAt` DATETIME(3) NULL,
    `lastJobId` INTEGER NULL,
    `pausedAt` DATETIME(3) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    PRIMARY KEY (`name`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
