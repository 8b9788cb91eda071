import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const API_ENTRY = resolve(ROOT, 'dist/apps/api/src/main.js');
export const WORKER_ENTRY = resolve(ROOT, 'dist/apps/worker/src/main.js');
/**
 * Node options the API server runs with in production (`npm start`, the Docker image; a unit test
 * keeps the three in step), so that tests and benchmarks run the API as it is deployed.
 */
export const API_NODE_FLAGS = ['--max-semi-space-size=4'];
const API_MAIN = /[\\/]apps[\\/]api[\\/]src[\\/]main\.js$/;

export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code once the process ends by itself (or rejects after the timeout). */
  exited(timeoutMs?: number): Promise<number | null>;
  /** Sends a signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Runs a compiled entry point (the suite builds dist/ first: `npm test` runs build:server). */
export function startProcess(entry: string, env: Record<string, string>): RunningProcess {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build:server\` first`);
  const flags = API_MAIN.test(entry) ? API_NODE_FLAGS : [];
  const child = spawn(process.execPath, [...flags, entry], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return {
    child,
    output: () => output,
    exited: (timeoutMs = 30_000) =>
      Promise.race([
        exited,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`process still running after ${timeoutMs} ms:\n${output}`)), timeoutMs).unref()),
      ]),
    stop: async (signal = 'SIGTERM', timeoutMs = 30_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export async function waitForStatus(url: string, status: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === status) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}
