import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomically } from './files';
import { generateToolKeyPair, type ToolKeyPair, type ToolKeyPairSource } from '../../src/lti';

const POOL_DIR = path.join(os.tmpdir(), 'zoomlti-test-tool-keys');

/**
 * The tool's key pairs for the apps tests build: real RSA-4096 pairs, made by the product's own
 * generator, each made once per machine and kept in the system's temporary directory. Making one
 * takes one to two seconds of CPU, and the suites register hundreds of platforms. Each source hands
 * out pair 0, 1, 2…, so the platforms of one app never share a pair; apps (each on its own database)
 * reuse them. Servers started as processes make their own, as in production.
 */
export function testToolKeyPairs(): ToolKeyPairSource {
  let next = 0;
  return () => pooledPair(next++);
}

async function pooledPair(index: number): Promise<ToolKeyPair> {
  const file = path.join(POOL_DIR, `rsa4096-${index}.json`);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as ToolKeyPair;
  const pair = await generateToolKeyPair();
  fs.mkdirSync(POOL_DIR, { recursive: true });
  writeFileAtomically(file, JSON.stringify(pair));
  return pair;
}
