-- CreateTable
CREATE TABLE `BackgroundJobWorker` (
    `name` VARCHAR(191) NOT NULL,
    `host` VARCHAR(191) NOT NULL,
    `pid` INTEGER NOT NULL,
    `queues` VARCHAR(191) NOT NULL,
    `concurrency` INTEGER NOT NULL,
    `startedAt` DATETIME(3) NOT NULL,
    `heartbeatAt` DATETIME(3) NOT NULL,
    `jobIds` VARCHAR(191) NOT NULL,
    `done` INTEGER NOT NULL DEFAULT 0,
    `failed` INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY (`name`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `BackgroundJobCount` (
    `minute` DATETIME(3) NOT NULL,
    `worker` VARCHAR(191) NOT NULL,
    `queue` VARCHAR(191) NOT NULL,
    `done` INTEGER NOT NULL DEFAULT 0,
    `failed` INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY (`minute`, `worker`, `queue`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
