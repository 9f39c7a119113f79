import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Refusal, type RefusalCategory } from '../shared/errors';
import { etagOf } from './etag';
import { problem, type ProblemDetails } from './problem-details';

const STATUS_OF: Record<RefusalCategory, number> = {
  bad_request: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  invalid: 422,
  unavailable: 503,
};

/** The one mapping from errors to HTTP answers. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // A body designed by whoever threw it (Terminus's health report) goes out as it is.
    if (error instanceof HttpException && isDesignedBody(error.getResponse())) {
      void reply.status(error.getStatus()).send(error.getResponse());
      return;
    }
    // A refusal of something that exists at a revision says which (the handover of a contract not yet terminated).
    if (error instanceof Refusal && error.atRevision !== undefined) reply.header('etag', etagOf(error.atRevision));
    const answer = this.toProblem(error, host.switchToHttp().getRequest<FastifyRequest>().id);
    void reply.status(answer.status).header('content-type', 'application/problem+json; charset=utf-8').send(answer);
  }

  private toProblem(error: unknown, requestId: string): ProblemDetails {
    if (error instanceof Refusal) return problem(STATUS_OF[error.category], error.code, error.message, error.extensions);
    if (error instanceof HttpException) return fromHttpException(error);
    // Named by its request id, as the request's log line is (Nest's logger knows nothing of the request).
    this.logger.error({ reqId: requestId, msg: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    return problem(500, 'internal', 'Something went wrong on our side; nothing was written unless the response said so.');
  }
}

/** Codes for the framework's own refusals (malformed JSON, unknown route, wrong media type ...). */
const CODE_OF_STATUS: Record<number, string> = {
  400: 'request.invalid',
  404: 'route.not_found',
  405: 'route.method_not_allowed',
  413: 'request.too_large',
  415: 'request.unsupported_media_type',
};

/** Neither one of our problems nor the framework's default `{ statusCode, message }`. */
function isDesignedBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && !('statusCode' in body) && !('code' in body);
}

function fromHttpException(error: HttpException): ProblemDetails {
  const status = error.getStatus();
  const body = error.getResponse();
  if (typeof body === 'object' && body !== null && 'code' in body) return body as ProblemDetails;
  return problem(status, CODE_OF_STATUS[status] ?? `http.${status}`, error.message);
}
