import { Module } from '@nestjs/common';
import { AuditController } from './http/audit.controller';
import {
  GetContractHistoryQueryHandler,
  GetDigestQueryHandler,
  VerifyContractChainQueryHandler,
  VerifyDigestQueryHandler,
} from './queries';

/** Tamper evidence over HTTP: hash-chain integrity per contract, digests over all of them, each read through the QueryBus. */
@Module({
  controllers: [AuditController],
  providers: [GetContractHistoryQueryHandler, VerifyContractChainQueryHandler, GetDigestQueryHandler, VerifyDigestQueryHandler],
})
export class AuditModule {}
