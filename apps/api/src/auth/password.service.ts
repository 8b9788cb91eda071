import { HttpStatus, Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import { AppError } from '../common/errors/app-error';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
/** zxcvbn score 0..4; 3 = "safely unguessable: moderate protection from offline slow-hash attacks". */
const MIN_SCORE = 3;

/** OWASP's argon2id baseline (19 MiB, 2 iterations, 1 lane); @node-rs/argon2 defaults to argon2id. */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Hashing, verification and strength policy of account passwords. */
@Injectable()
export class PasswordService {
  private readonly zxcvbn = new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
  });
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
    const result = this.zxcvbn.check(password, inputs);
    if (result.score < MIN_SCORE) {
      const hint = result.feedback.warning ?? result.feedback.suggestions[0];
      fail(`The password is too easy to guess${hint ? ` (${hint.replace(/\.$/, '')})` : ''}; use a longer passphrase or a password manager.`);
    }
  }
}
