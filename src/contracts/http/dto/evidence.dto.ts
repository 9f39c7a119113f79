import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn } from 'class-validator';
import { HANDOVER_ITEM_KINDS, type HandoverItemKind } from '../../domain/handover';
import { IsCalendarDate, IsInstant, IsText, OneOf, type Shape } from '../../../http/validators';
import { IsFen } from './contract-validators';

/**
 * Evidence that a handover item is done, one shape per item kind. No shape
 * has room for a secret: a credential handover records who rotated the
 * credentials and who received the account, never the password.
 */
class EvidenceDto {
  @IsIn(HANDOVER_ITEM_KINDS) kind!: HandoverItemKind;
}
class CredentialEvidenceDto extends EvidenceDto {
  @IsText() rotatedBy!: string;
  @IsInstant() rotatedAt!: string;
  @IsText() receivedBy!: string;
  @IsInstant() receivedAt!: string;
}
class AlipayReconciliationEvidenceDto extends EvidenceDto {
  @IsCalendarDate() statementDate!: string;
  @IsFen() closingBalanceFen!: number;
  @IsFen() pendingRefundsFen!: number;
  @IsBoolean() withdrawalsConfirmed!: boolean;
  @IsText() agreedByBrand!: string;
  @IsText() agreedByOperator!: string;
}
class RevocationEvidenceDto extends EvidenceDto {
  @IsText() revocationDocumentRef!: string;
  @IsCalendarDate() revokedOn!: string;
}
class InventoryReturnEvidenceDto extends EvidenceDto {
  @IsCalendarDate() returnedOn!: string;
  @IsText() receivedBy!: string;
  @IsText() inventoryListRef!: string;
}
class LogisticsRepointingEvidenceDto extends EvidenceDto {
  @IsCalendarDate() repointedOn!: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsText(100, { each: true }) accountsRepointed!: string[];
  @IsText() confirmedBy!: string;
}
class FinalSettlementEvidenceDto extends EvidenceDto {
  @IsCalendarDate() settledOn!: string;
  @IsFen() serviceFeesFen!: number;
  @IsFen() commissionFen!: number;
  @IsText() settlementRef!: string;
  @IsText() agreedByBrand!: string;
  @IsText() agreedByOperator!: string;
}

/** Which evidence shape each item kind takes: for validation here and for the OpenAPI document. */
const EVIDENCE_SHAPES = {
  credential_handover: CredentialEvidenceDto,
  alipay_handover: CredentialEvidenceDto,
  alipay_reconciliation: AlipayReconciliationEvidenceDto,
  authorization_revocation: RevocationEvidenceDto,
  inventory_return: InventoryReturnEvidenceDto,
  logistics_repointing: LogisticsRepointingEvidenceDto,
  final_settlement: FinalSettlementEvidenceDto,
} satisfies Record<HandoverItemKind, Shape>;

export class CompletionDto {
  @OneOf('kind', EVIDENCE_SHAPES, EvidenceDto)
  evidence!: EvidenceDto;
}
