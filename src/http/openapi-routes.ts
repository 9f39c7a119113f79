import { ParseUUIDPipe, type INestApplication } from '@nestjs/common';
import { PARAMTYPES_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';

/** What a handler's arguments say about its request, beyond what Nest's document shows. */
export interface HandlerArguments {
  /** The class of its `@Query()` object, validated by the global ValidationPipe. */
  readonly query?: { readonly name: string };
  /** Path parameters parsed by a ParseUUIDPipe. */
  readonly uuidParams: readonly string[];
}

interface RouteArgument {
  readonly index: number;
  readonly data?: unknown;
  readonly pipes: readonly unknown[];
}

/**
 * Reads every controller method's parameter decorators and types, keyed
 * `Controller_method` like Nest's operation ids: the same metadata the
 * ValidationPipe and the pipes act on, so the document follows the code.
 */
export function handlerArguments(app: INestApplication): Map<string, HandlerArguments> {
  const found = new Map<string, HandlerArguments>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      const controller = metatype as { name: string; prototype: object };
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const args = Object.entries((Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, RouteArgument>);
        if (args.length === 0) continue;
        const types = (Reflect.getMetadata(PARAMTYPES_METADATA, controller.prototype, method) ?? []) as Array<{ name: string }>;
        const of = (paramtype: RouteParamtypes) => args.filter(([key]) => key.startsWith(`${paramtype}:`)).map(([, arg]) => arg);
        const query = of(RouteParamtypes.QUERY).find((arg) => arg.data === undefined);
        found.set(`${controller.name}_${method}`, {
          ...(query ? { query: types[query.index] } : {}),
          uuidParams: of(RouteParamtypes.PARAM)
            .filter((arg) => arg.pipes.some((pipe) => pipe instanceof ParseUUIDPipe))
            .map((arg) => String(arg.data)),
        });
      }
    }
  }
  return found;
}
