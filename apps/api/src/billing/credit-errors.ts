import { HttpStatus } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';

export class InsufficientCreditsError extends AppError {
  constructor(balance: number, required: number) {
    super('insufficient_credits', HttpStatus.PAYMENT_REQUIRED, `This needs ${required} credits; the balance is ${balance}.`, {
      extensions: { balance, required },
    });
  }
}

export class PaymentPastDueError extends AppError {
  constructor(subscriptionStatus: string) {
    super(
      'payment_past_due',
      HttpStatus.PAYMENT_REQUIRED,
      'The last payment of your subscription failed; new tasks start again once it is paid (update the payment method in the billing portal).',
      { extensions: { subscriptionStatus } },
    );
  }
}
