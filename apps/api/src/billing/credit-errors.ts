import { HttpStatus } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';

export class InsufficientCreditsError extends AppError {
  constructor(balance: number, required: number) {
    super('insufficient_credits', HttpStatus.PAYMENT_REQUIRED, `This needs ${required} credits; the balance is ${balance}.`, {
      extensions: { balance, required },
    });
  }
}
