import {
  createParamDecorator,
  HttpException,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, Role } from '../../shared/identity';
import { problem } from '../../http/problem-details';
import { ApiKeys } from '../api-keys';
import { RateLimiter } from '../rate-limiter';

const PUBLIC = 'auth:public';
const ROLES = 'auth:roles';

/** A route anyone may call (health). */
export const Public = () => SetMetadata(PUBLIC, true);
/** Only these roles may call the route at all (object-level checks come on top). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/** The authenticated principal of the request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, host: ExecutionContext): Principal => {
  const principal = host.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal on a public route');
  return principal;
});

/** Limits per principal, and stricter ones per client address on failed authentication. */
export interface RateLimits {
  readonly perPrincipal: RateLimiter;
  readonly failedAuthentication: RateLimiter;
}
export const RATE_LIMITS = Symbol('RATE_LIMITS');

/**
 * Every route needs `Authorization: Bearer <key>` unless marked public: 401
 * without a valid key, 429 past the rate limits, 403 for a role the route
 * does not admit.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ApiKeys) private readonly keys: ApiKeys,
    @Inject(RATE_LIMITS) private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();

    const key = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    // Key guessing is throttled per address before any key is checked, so a
    // blocked guesser cannot tell a right key from a wrong one.
    const client = request.ip;
    if (key !== undefined && this.limits.failedAuthentication.exhausted(client)) {
      throw tooMany(reply, this.limits.failedAuthentication.hit(client).retryAfterSeconds, 'failed authentications from this address');
    }
    const principal = key === undefined ? undefined : await this.keys.authenticate(key);
    if (!principal) {
      if (key !== undefined) this.limits.failedAuthentication.hit(client);
      reply.header('www-authenticate', 'Bearer');
      throw new UnauthorizedException(
        problem(401, key === undefined ? 'auth.missing_key' : 'auth.invalid_key', 'Send a valid API key as `Authorization: Bearer <key>`.'),
      );
    }
    const { allowed, retryAfterSeconds } = this.limits.perPrincipal.hit(principal.keyId);
    if (!allowed) throw tooMany(reply, retryAfterSeconds, 'requests for this key');
    request.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new HttpException(problem(403, 'access.role', `This needs a key of role ${roles.join(' or ')}.`), 403);
    }
    return true;
  }
}

function tooMany(reply: FastifyReply, retryAfterSeconds: number, what: string): HttpException {
  reply.header('retry-after', String(retryAfterSeconds));
  return new HttpException(problem(429, 'rate_limited', `Too many ${what}; retry in ${retryAfterSeconds} s.`), 429);
}
