import { applyDecorators, ParseUUIDPipe, SetMetadata, type INestApplication } from '@nestjs/common';
import { PARAMTYPES_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { ApiTags } from '@nestjs/swagger';

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

type ControllerClass = { readonly name: string; readonly prototype: object };

function controllersOf(app: INestApplication): ControllerClass[] {
  return [...app.get(ModulesContainer).values()].flatMap((module) =>
    [...module.controllers.values()].map(({ metatype }) => metatype as ControllerClass),
  );
}

const GROUP = 'openapi:group';

/**
 * Controllers split by concern that document as one: one tag, and operation
 * ids `<Group>Controller_<method>` as if they were one controller (the
 * contract commands, reads and live checklist are `ContractsController_*`).
 */
export const OperationGroup = (group: string) => applyDecorators(SetMetadata(GROUP, group), ApiTags(group));

/** What operation ids start with, by controller class name: its group's, or its own name. */
export function operationPrefixes(app: INestApplication): Map<string, string> {
  return new Map(
    controllersOf(app).map((controller) => {
      const group = Reflect.getMetadata(GROUP, controller) as string | undefined;
      return [controller.name, group ? `${group}Controller` : controller.name];
    }),
  );
}

/**
 * Reads every controller method's parameter decorators and types, keyed by
 * operation id (`ContractsController_draft`): the same metadata the
 * ValidationPipe and the pipes act on, so the document follows the code.
 */
export function handlerArguments(app: INestApplication): Map<string, HandlerArguments> {
  const found = new Map<string, HandlerArguments>();
  const prefixes = operationPrefixes(app);
  for (const controller of controllersOf(app)) {
    for (const method of Object.getOwnPropertyNames(controller.prototype)) {
      const args = Object.entries((Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, RouteArgument>);
      if (args.length === 0) continue;
      const types = (Reflect.getMetadata(PARAMTYPES_METADATA, controller.prototype, method) ?? []) as Array<{ name: string }>;
      const of = (paramtype: RouteParamtypes) => args.filter(([key]) => key.startsWith(`${paramtype}:`)).map(([, arg]) => arg);
      const query = of(RouteParamtypes.QUERY).find((arg) => arg.data === undefined);
      found.set(`${prefixes.get(controller.name)}_${method}`, {
        ...(query ? { query: types[query.index] } : {}),
        uuidParams: of(RouteParamtypes.PARAM)
          .filter((arg) => arg.pipes.some((pipe) => pipe instanceof ParseUUIDPipe))
          .map((arg) => String(arg.data)),
      });
    }
  }
  return found;
}
