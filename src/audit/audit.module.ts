import { Module } from '@nestjs/common';
import { AuditController } from './http/audit.controller';

/** Tamper evidence over HTTP: hash-chain integrity per contract, digests over all of them. */
@Module({ controllers: [AuditController] })
export class AuditModule {}
