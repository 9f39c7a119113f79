import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * The floor for `npm run bench:http`: a plain NestJS-on-Fastify app from the
 * same node_modules, one JSON route, no guard, no logging, no store. Every
 * figure of the service is also given as a ratio to this one.
 */
@Controller()
class HelloController {
  @Get('hello')
  hello(): { hello: string } {
    return { hello: 'world' };
  }
}

@Module({ controllers: [HelloController] })
class HelloModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(HelloModule, new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  // The same line the service prints, so that one helper starts both.
  console.log(`Listening on ${await app.getUrl()}`);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
