import { AppError } from '../shared/errors';

/** An error page after Zoom's redirect can still lead the admin back into the tool. */
export class ReturnableError extends AppError {
  constructor(
    inner: AppError,
    readonly returnLtik: string,
  ) {
    super(inner.id, inner.status, inner.title, inner.detail, inner.nextStep, inner.cause);
  }
}

export function withReturn(error: unknown, returnLtik: string): unknown {
  return error instanceof AppError ? new ReturnableError(error, returnLtik) : error;
}
