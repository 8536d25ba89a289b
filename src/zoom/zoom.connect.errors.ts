import { AppError } from '../shared/errors';

/** Where an error page after Zoom's redirect leads back: the admin's page in the tool, or the connect link. */
export type ReturnTo = { ltik: string } | { linkToken: string };

/** An error page after Zoom's redirect can still lead the person back to where they started. */
export class ReturnableError extends AppError {
  constructor(
    inner: AppError,
    readonly returnTo: ReturnTo,
  ) {
    super(
      inner.id,
      inner.status,
      inner.title,
      inner.detail,
      inner.nextStep,
      inner.cause,
      inner.params,
      inner.specific,
    );
  }
}

export function withReturn(error: unknown, returnTo: ReturnTo): unknown {
  return error instanceof AppError ? new ReturnableError(error, returnTo) : error;
}
