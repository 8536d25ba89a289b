import type { Request, RequestHandler, Response } from 'express';

/** An async route: a rejection reaches the error handler (Express 4 does not await handlers). */
export function asyncHandler(fn: (req: Request, res: Response) => Promise<unknown>): RequestHandler {
  return (req, res, next) => {
    fn(req, res).catch(next);
  };
}
