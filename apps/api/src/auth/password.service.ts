import { HttpStatus, Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { createRequire } from 'node:module';
import { AppError } from '../common/errors/app-error';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
/** zxcvbn score 0..4; 3 = "safely unguessable: moderate protection from offline slow-hash attacks". */
const MIN_SCORE = 3;

/** OWASP's argon2id baseline (19 MiB, 2 iterations, 1 lane); @node-rs/argon2 defaults to argon2id. */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

const load = createRequire(__filename);
let strengthEstimator: ZxcvbnFactory | undefined;

/**
 * zxcvbn's dictionaries take ~28 MB of heap and ~200 ms to build: built by the first password
 * check (registration, password change or reset), not at start, as most processes never check one.
 * Loaded synchronously because the check is synchronous.
 */
function zxcvbn(): ZxcvbnFactory {
  if (strengthEstimator) return strengthEstimator;
  const { ZxcvbnFactory: Factory } = load('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
  const common = load('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
  const en = load('@zxcvbn-ts/language-en') as typeof import('@zxcvbn-ts/language-en');
  strengthEstimator = new Factory({ dictionary: { ...common.dictionary, ...en.dictionary }, graphs: common.adjacencyGraphs, translations: en.translations });
  return strengthEstimator;
}

/** Hashing, verification and strength policy of account passwords. */
@Injectable()
export class PasswordService {
  /** Verified against when the email is unknown, so that answer takes as long as a wrong password. */
  private readonly decoyHash: Promise<string> = hash('decoy password that never matches', ARGON2_OPTIONS);

  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    try {
      const matches = await verify(passwordHash ?? (await this.decoyHash), password);
      return passwordHash !== undefined && matches;
    } catch {
      return false;
    }
  }

  /** Rejects passwords that are too short, too long, or easy to guess (common, or made of the user's own details). */
  assertAcceptable(password: string, field: string, userInputs: string[] = []): void {
    const fail = (message: string): never => {
      throw new AppError('weak_password', HttpStatus.BAD_REQUEST, message, { errors: [{ field, message }] });
    };
    if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
      fail(`The password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long.`);
    }
    const inputs = userInputs.flatMap((input) => [input, ...input.split(/[@.\s_-]+/)]).filter((input) => input.length >= 3);
    const result = zxcvbn().check(password, inputs);
    if (result.score < MIN_SCORE) {
      const hint = result.feedback.warning ?? result.feedback.suggestions[0];
      fail(`The password is too easy to guess${hint ? ` (${hint.replace(/\.$/, '')})` : ''}; use a longer passphrase or a password manager.`);
    }
  }
}
