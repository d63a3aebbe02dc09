/**
 * Vitest global setup: runs once before every suite.
 * Suites that need generated Prisma clients or server databases add their
 * preparation here (see test/support/).
 */
export default async function setup(): Promise<void> {}
