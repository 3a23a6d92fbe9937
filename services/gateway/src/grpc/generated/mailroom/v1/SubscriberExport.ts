// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { ExportedList as _mailroom_v1_ExportedList, ExportedList__Output as _mailroom_v1_ExportedList__Output } from '../../mailroom/v1/ExportedList';
import type { DeliveryOutcome as _mailroom_v1_DeliveryOutcome, DeliveryOutcome__Output as _mailroom_v1_DeliveryOutcome__Output } from '../../mailroom/v1/DeliveryOutcome';

export interface SubscriberExport {
  'email'?: (string);
  /**
   * The tenant's lists that hold the address.
   */
  'lists'?: (_mailroom_v1_ExportedList)[];
  /**
   * The tenant's suppression entry: its reason ("unsubscribed", "bounced", "complained",
   * "manual"), absent when the address is not on the tenant's list.
   */
  'tenantSuppressionReason'?: (string);
  'tenantSuppressedAt'?: (string);
  /**
   * True for an erased entry (no address kept).
   */
  'tenantSuppressionErased'?: (boolean);
  /**
   * The global list (hard bounces, complaints; kept by the operator) holds it, and why.
   */
  'globalSuppressionReason'?: (string);
  /**
   * Recent delivery outcomes: the tenant's newsletters sent to the address while the delivery
   * ledger keeps them (30 days by default), newest first, at most 100.
   */
  'deliveries'?: (_mailroom_v1_DeliveryOutcome)[];
  '_tenantSuppressionReason'?: "tenantSuppressionReason";
  '_tenantSuppressedAt'?: "tenantSuppressedAt";
  '_globalSuppressionReason'?: "globalSuppressionReason";
}

export interface SubscriberExport__Output {
  'email'?: (string);
  /**
   * The tenant's lists that hold the address.
   */
  'lists': (_mailroom_v1_ExportedList__Output)[];
  /**
   * The tenant's suppression entry: its reason ("unsubscribed", "bounced", "complained",
   * "manual"), absent when the address is not on the tenant's list.
   */
  'tenantSuppressionReason'?: (string);
  'tenantSuppressedAt'?: (string);
  /**
   * True for an erased entry (no address kept).
   */
  'tenantSuppressionErased'?: (boolean);
  /**
   * The global list (hard bounces, complaints; kept by the operator) holds it, and why.
   */
  'globalSuppressionReason'?: (string);
  /**
   * Recent delivery outcomes: the tenant's newsletters sent to the address while the delivery
   * ledger keeps them (30 days by default), newest first, at most 100.
   */
  'deliveries': (_mailroom_v1_DeliveryOutcome__Output)[];
  '_tenantSuppressionReason'?: "tenantSuppressionReason";
  '_tenantSuppressedAt'?: "tenantSuppressedAt";
  '_globalSuppressionReason'?: "globalSuppressionReason";
}
