-- CreateTable
CREATE TABLE `background_jobs` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `attempts` INTEGER NOT NULL DEFAULT 0,
    `handler` TEXT NOT NULL,
    `queue` VARCHAR(191) NOT NULL,
    `priority` INTEGER NOT NULL DEFAULT 50,
    `run_at` DATETIME(3) NULL DEFAULT CURRENT_TIMESTAMP(3),
    `locked_at` DATETIME(3) NULL,
    `locked_by` VARCHAR(191) NULL,
    `last_error` TEXT NULL,
    `failed_at` DATETIME(3) NULL,
    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updated_at` DATETIME(3) NOT NULL,

    INDEX `background_jobs_priority_run_at_id_idx`(`priority`, `run_at`, `id`),
    INDEX `background_jobs_queue_priority_run_at_id_idx`(`queue`, `priority`, `run_at`, `id`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
