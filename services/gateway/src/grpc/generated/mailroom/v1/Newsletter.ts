// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { NewsletterStatus as _mailroom_v1_NewsletterStatus, NewsletterStatus__Output as _mailroom_v1_NewsletterStatus__Output } from '../../mailroom/v1/NewsletterStatus';
import type { Batches as _mailroom_v1_Batches, Batches__Output as _mailroom_v1_Batches__Output } from '../../mailroom/v1/Batches';
import type { Round as _mailroom_v1_Round, Round__Output as _mailroom_v1_Round__Output } from '../../mailroom/v1/Round';
import type { LinkClicks as _mailroom_v1_LinkClicks, LinkClicks__Output as _mailroom_v1_LinkClicks__Output } from '../../mailroom/v1/LinkClicks';
import type { Long } from '@grpc/proto-loader';

export interface Newsletter {
  'id'?: (string);
  'status'?: (_mailroom_v1_NewsletterStatus);
  /**
   * Unique recipients once the list is split; the submitted count before that.
   */
  'total'?: (number);
  'sent'?: (number);
  'failed'?: (number);
  /**
   * Skipped: on the suppression list.
   */
  'suppressed'?: (number);
  'pending'?: (number);
  'duplicates'?: (number);
  'batches'?: (_mailroom_v1_Batches | null);
  /**
   * Re-send rounds (RetryFailed, re-drive) and their progress.
   */
  'rounds'?: (_mailroom_v1_Round)[];
  'createdAt'?: (string);
  /**
   * Empty until the newsletter settles.
   */
  'completedAt'?: (string);
  /**
   * Why the newsletter failed as a whole, when it did.
   */
  'error'?: (string);
  /**
   * When sending started (the split began); empty before that.
   */
  'startedAt'?: (string);
  /**
   * Recipients settled per second over the last minute.
   */
  'ratePerSecond'?: (number | string);
  /**
   * Estimated seconds left at the current rate; absent when settled or not moving.
   */
  'etaSeconds'?: (number | string | Long);
  /**
   * Not sent: the newsletter was cancelled.
   */
  'cancelled'?: (number);
  /**
   * When a scheduled newsletter starts; empty when it started at once.
   */
  'sendAt'?: (string);
  /**
   * A test send (no list, no suppression list).
   */
  'test'?: (boolean);
  /**
   * Recipients whose email bounced for good (a hard bounce) after the provider accepted it
   * (feedback service); each counted once, also counted in `sent`.
   */
  'bounced'?: (number);
  /**
   * Recipients who marked it as spam (feedback loop, provider webhook); each counted once.
   */
  'complained'?: (number);
  /**
   * The request's priority: "high", "normal" or "low" ("normal" when it was sent without one, or
   * before priorities existed).
   */
  'priority'?: (string);
  /**
   * Engagement of a newsletter sent with tracking (0 without): recipients who opened it (its
   * pixel was loaded by a reader), each counted once; a lower bound, as a reader who does not
   * load images is not seen.
   */
  'opens'?: (number);
  /**
   * Recipients who followed a tracked link, each counted once.
   */
  'clicks'?: (number);
  /**
   * Tracked links followed, every click counted.
   */
  'clicksTotal'?: (number);
  /**
   * Recipients whose copy a machine opened (a mail privacy proxy fetching every image), each
   * counted once; not in `opens`.
   */
  'machineOpens'?: (number);
  /**
   * Recipients whose address this newsletter's unsubscribe link (its one-click POST) put on the
   * suppression list, each counted once.
   */
  'unsubscribes'?: (number);
  /**
   * Clicks per tracked link, most clicked first: the first 50 distinct URLs clicked (as long as
   * their URLs add up to at most 16,000 characters), then one entry with `other` set adding up all
   * other links. Empty without clicks.
   */
  'links'?: (_mailroom_v1_LinkClicks)[];
  /**
   * CANCELLED by Mailroom itself: why ("pause_limit": paused longer than the tracker's
   * PAUSE_LIMIT_MS, all its pauses added up). Empty when a caller cancelled it.
   */
  'cancelReason'?: (string);
  '_etaSeconds'?: "etaSeconds";
}

export interface Newsletter__Output {
  'id'?: (string);
  'status'?: (_mailroom_v1_NewsletterStatus__Output);
  /**
   * Unique recipients once the list is split; the submitted count before that.
   */
  'total'?: (number);
  'sent'?: (number);
  'failed'?: (number);
  /**
   * Skipped: on the suppression list.
   */
  'suppressed'?: (number);
  'pending'?: (number);
  'duplicates'?: (number);
  'batches'?: (_mailroom_v1_Batches__Output);
  /**
   * Re-send rounds (RetryFailed, re-drive) and their progress.
   */
  'rounds': (_mailroom_v1_Round__Output)[];
  'createdAt'?: (string);
  /**
   * Empty until the newsletter settles.
   */
  'completedAt'?: (string);
  /**
   * Why the newsletter failed as a whole, when it did.
   */
  'error'?: (string);
  /**
   * When sending started (the split began); empty before that.
   */
  'startedAt'?: (string);
  /**
   * Recipients settled per second over the last minute.
   */
  'ratePerSecond'?: (number);
  /**
   * Estimated seconds left at the current rate; absent when settled or not moving.
   */
  'etaSeconds'?: (number);
  /**
   * Not sent: the newsletter was cancelled.
   */
  'cancelled'?: (number);
  /**
   * When a scheduled newsletter starts; empty when it started at once.
   */
  'sendAt'?: (string);
  /**
   * A test send (no list, no suppression list).
   */
  'test'?: (boolean);
  /**
   * Recipients whose email bounced for good (a hard bounce) after the provider accepted it
   * (feedback service); each counted once, also counted in `sent`.
   */
  'bounced'?: (number);
  /**
   * Recipients who marked it as spam (feedback loop, provider webhook); each counted once.
   */
  'complained'?: (number);
  /**
   * The request's priority: "high", "normal" or "low" ("normal" when it was sent without one, or
   * before priorities existed).
   */
  'priority'?: (string);
  /**
   * Engagement of a newsletter sent with tracking (0 without): recipients who opened it (its
   * pixel was loaded by a reader), each counted once; a lower bound, as a reader who does not
   * load images is not seen.
   */
  'opens'?: (number);
  /**
   * Recipients who followed a tracked link, each counted once.
   */
  'clicks'?: (number);
  /**
   * Tracked links followed, every click counted.
   */
  'clicksTotal'?: (number);
  /**
   * Recipients whose copy a machine opened (a mail privacy proxy fetching every image), each
   * counted once; not in `opens`.
   */
  'machineOpens'?: (number);
  /**
   * Recipients whose address this newsletter's unsubscribe link (its one-click POST) put on the
   * suppression list, each counted once.
   */
  'unsubscribes'?: (number);
  /**
   * Clicks per tracked link, most clicked first: the first 50 distinct URLs clicked (as long as
   * their URLs add up to at most 16,000 characters), then one entry with `other` set adding up all
   * other links. Empty without clicks.
   */
  'links': (_mailroom_v1_LinkClicks__Output)[];
  /**
   * CANCELLED by Mailroom itself: why ("pause_limit": paused longer than the tracker's
   * PAUSE_LIMIT_MS, all its pauses added up). Empty when a caller cancelled it.
   */
  'cancelReason'?: (string);
  '_etaSeconds'?: "etaSeconds";
}
