-- CreateTable
CREATE TABLE `BackgroundJob` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `attempts` INTEGER NOT NULL DEFAULT 0,
    `handler` TEXT NOT NULL,
    `queue` VARCHAR(191) NOT NULL,
    `priority` INTEGER NOT NULL DEFAULT 50,
    `runAt` DATETIME(3) NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lockedAt` DATETIME(3) NULL,
    `lockedBy` VARCHAR(191) NULL,
    `lastError` TEXT NULL,
    `failedAt` DATETIME(3) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    INDEX `BackgroundJob_priority_runAt_id_idx`(`priority`, `runAt`, `id`),
    INDEX `BackgroundJob_queue_priority_runAt_id_idx`(`queue`, `priority`, `runAt`, `id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
