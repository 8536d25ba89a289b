// Tests never reach outside loopback: see no-network.ts.
import './no-network';

// Tests never read a developer's .env and never log unless asked.
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
process.env.NODE_ENV = 'test';
