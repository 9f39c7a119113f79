import 'reflect-metadata';
import { PARAMTYPES_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { AuditController } from '../../src/audit/http/audit.controller';
import { KeysController } from '../../src/auth/http/keys.controller';
import { ContractCommandsController } from '../../src/contracts/http/contract-commands.controller';
import { LedgerCommandsController } from '../../src/contracts/http/ledger-commands.controller';
import { AccountDto } from '../../src/contracts/http/dto/contract-commands.dto';
import { DraftContractDto } from '../../src/contracts/http/dto/draft-contract.dto';
import { PaymentDto, SalesReportDto } from '../../src/contracts/http/dto/ledger.dto';
import { acceptedBody } from '../../src/http/accepted-body';
import { requestSchemas } from '../../src/http/openapi-schemas';
import { DtoValidationPipe } from '../../src/http/validation.pipe';
import { bodyShapeOf } from '../../src/http/validators';
import { jsonDepth, MAX_JSON_DEPTH } from '../../src/shared/json-depth';
import { draftTerms, THE_PARTIES } from '../support/contract-fixtures';
import { Random, SchemaGenerator } from '../fuzz/generate';
import { mutateBody, toJson } from '../fuzz/mutate';

/**
 * The validation pipe's fast path against its full way: for every route's
 * body class, on bodies generated from the request schemas and on mutations
 * of them (the fuzz campaign's), whatever the fast path accepts the full way
 * accepts, as the same instance, and whatever the full way refuses the fast
 * path leaves to it.
 */

type Dto = new () => object;

/** The classes of the `@Body()` parameters of a controller's handlers. */
function bodyClasses(controller: { prototype: object }): Dto[] {
  return Object.getOwnPropertyNames(controller.prototype).flatMap((method) => {
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, { index: number }>;
    const types = (Reflect.getMetadata(PARAMTYPES_METADATA, controller.prototype, method) ?? []) as Dto[];
    return Object.entries(args)
      .filter(([key]) => key.startsWith(`${RouteParamtypes.BODY}:`))
      .map(([, arg]) => types[arg.index]);
  });
}

const BODIES = [ContractCommandsController, LedgerCommandsController, KeysController, AuditController].flatMap(bodyClasses);
/** The bodies with a transformed (discriminated) part, which the fast path leaves to the full way. */
const ALWAYS_FULL = ['AmendmentDto', 'CompletionDto'];
const pipe = new DtoValidationPipe();
const schemas = requestSchemas();
const generator = new SchemaGenerator({ paths: {}, components: { schemas } });

/** A copy as the JSON parser makes it (structuredClone's objects come from another realm under jest). */
const copy = (body: unknown): unknown => JSON.parse(JSON.stringify(body)) as unknown;

/** The full way's instance, or undefined when it refuses the body. */
async function fullWay(metatype: Dto, body: unknown): Promise<unknown> {
  try {
    return await pipe.validated(copy(body), { type: 'body', metatype: bodyShapeOf(metatype, body) });
  } catch {
    return undefined;
  }
}

/** Both ways on one body: what the fast path accepted (undefined: left to the full way). */
async function compare(metatype: Dto, body: unknown): Promise<object | undefined> {
  const fast = acceptedBody(bodyShapeOf(metatype, body), copy(body));
  const full = await fullWay(metatype, body);
  if (fast !== undefined) expect(fast).toStrictEqual(full);
  else if (full !== undefined) expect(acceptedBody(bodyShapeOf(metatype, body), copy(body))).toBeUndefined();
  return fast;
}

describe("the validation pipe's fast path", () => {
  it('finds the body classes of the routes', () => {
    expect(BODIES).toEqual(expect.arrayContaining([DraftContractDto, AccountDto, SalesReportDto, PaymentDto]));
  });

  it.each(BODIES.map((dto) => [dto.name, dto] as const))('builds %s as the full way does, or leaves the body to it', async (name, dto) => {
    const random = Random.derive(20_261_127, name);
    let fast = 0;
    for (let run = 0; run < 150; run += 1) {
      const generated = generator.generate({ $ref: `#/components/schemas/${name}` }, random);
      if (await compare(dto, generated.value)) fast += 1;
      for (let mutation = 0; mutation < 4; mutation += 1) {
        const { value } = mutateBody(generated, random, 65_536, run * 4 + mutation);
        const text = toJson(value);
        // Text no JSON parser takes, or nested past the limit, never reaches the pipe.
        if (jsonDepth(text) > MAX_JSON_DEPTH) continue;
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          continue;
        }
        await compare(dto, body);
      }
    }
    // Bodies with a discriminated part (a OneOf, built by a transformation) always go the full way.
    if (!ALWAYS_FULL.includes(name)) expect(fast).toBeGreaterThan(0);
  });

  it('takes valid drafts and accounts without the full way', async () => {
    const draft = { ...THE_PARTIES, ...draftTerms() };
    expect(await compare(DraftContractDto, draft)).toBeInstanceOf(DraftContractDto);
    expect(await compare(AccountDto, { platform: 'tmall', accountName: 'feiyue旗舰店:cs01', kind: 'sub_account' })).toBeInstanceOf(
      AccountDto,
    );
    // A default the class gives (notice period) is in the instance, as plainToInstance leaves it.
    const { noticePeriodDays: _omitted, ...withoutNotice } = draft;
    expect(await compare(DraftContractDto, withoutNotice)).toMatchObject({ noticePeriodDays: 90 });
  });

  it.each([
    ['null', null],
    ['a nested null', { ...THE_PARTIES, ...draftTerms(), fees: null }],
    ['an unknown key', { ...THE_PARTIES, ...draftTerms(), extra: 1 }],
    ['a key named like a method', JSON.parse('{"constructor": {}, "platform": "tmall", "accountName": "a", "kind": "sub_account"}')],
    ['a list where an object goes', { ...THE_PARTIES, ...draftTerms(), term: [] }],
  ])('leaves %s to the full way', (_what, body) => {
    expect(acceptedBody(DraftContractDto, body)).toBeUndefined();
    expect(acceptedBody(AccountDto, body)).toBeUndefined();
  });
});
