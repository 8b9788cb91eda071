import { describe, expect, it } from 'vitest';
import { AppError } from '../common/errors/app-error';
import { PasswordService } from './password.service';

const service = new PasswordService();

function rejection(password: string, inputs: string[] = []): AppError | undefined {
  try {
    service.assertAcceptable(password, 'password', inputs);
    return undefined;
  } catch (error) {
    return error as AppError;
  }
}

describe('PasswordService', () => {
  it('hashes with argon2id and verifies', async () => {
    const hashed = await service.hash('amber-Lantern-92-quietly');
    expect(hashed.startsWith('$argon2id$')).toBe(true);
    expect(await service.verify(hashed, 'amber-Lantern-92-quietly')).toBe(true);
    expect(await service.verify(hashed, 'amber-Lantern-92-quietlY')).toBe(false);
    expect(await service.verify(undefined, 'anything at all')).toBe(false);
    expect(await service.verify('not a hash', 'anything at all')).toBe(false);
  });

  it('rejects common and short passwords, and ones made of the user details', () => {
    expect(rejection('password1234')?.code).toBe('weak_password');
    expect(rejection('qwertyuiop')?.code).toBe('weak_password');
    expect(rejection('Short1!')?.errors).toEqual([{ field: 'password', message: expect.stringMatching(/10 to 128/) }]);
    expect(rejection('x'.repeat(129))?.code).toBe('weak_password');
    expect(rejection('Lovelace.Ada', ['ada.lovelace@example.com', 'Ada Lovelace'])?.code).toBe('weak_password');
  });

  it('accepts a strong passphrase', () => {
    expect(rejection('amber-Lantern-92-quietly')).toBeUndefined();
    expect(rejection('correct horse battery staple zebra')).toBeUndefined();
  });
});
