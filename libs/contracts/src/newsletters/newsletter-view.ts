import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { CANCEL_REASONS, NEWSLETTER_STATUSES, type CancelReason, type NewsletterStatus } from './newsletter-status';
import { PRIORITIES, type Priority } from './priority';
import { LINK_COUNT_LIMITS } from './newsletter-record';

const LINK_BOUND = `the first ${LINK_COUNT_LIMITS.links} distinct URLs clicked (as long as their URLs add up to at most ${LINK_COUNT_LIMITS.urlCharacters.toLocaleString('en')} characters)`;

/*
 * The view is defined once, here: its type, and its OpenAPI description in the decorators (the
 * gateway documents `GET /v1/newsletters/{id}` with this class). `@ApiSchema` keeps the schema
 * names the OpenAPI document has always had.
 */

@ApiSchema({ name: 'BatchesDto' })
class NewsletterBatches {
  @ApiProperty({ type: 'integer', nullable: true, description: 'null until the list is split', example: 1 })
  readonly total!: number | null;

  @ApiProperty({ example: 1 })
  readonly completed!: number;

  @ApiProperty({ example: 0 })
  readonly deadLettered!: number;
}

/** A re-send round (retry-failed, re-drive). */
@ApiSchema({ name: 'RoundDto' })
class NewsletterRound {
  @ApiProperty({ example: 'r1' })
  readonly id!: string;

  @ApiProperty({ type: 'integer', nullable: true, example: 1 })
  readonly batches!: number | null;

  @ApiProperty({ example: 1 })
  readonly completed!: number;

  @ApiProperty({ format: 'date-time' })
  readonly requestedAt!: string;
}

/** Clicks on one link of a tracked newsletter, or (`url: null`) on the links past the bound, added up. */
@ApiSchema({ name: 'LinkClicksDto' })
export class NewsletterLink {
  @ApiProperty({
    type: 'string',
    nullable: true,
    description:
      `The original URL, exactly as the email linked to it (personalised: as that recipient got it). null: every link but ${LINK_BOUND}, added up.`,
    example: 'https://example.com/spring-sale',
  })
  readonly url!: string | null;

  @ApiProperty({ description: 'Clicks on it, every one.', example: 3 })
  readonly clicks!: number;

  @ApiProperty({ description: 'Recipients who clicked it, each once (for `url: null`: recipient-and-link pairs).', example: 2 })
  readonly recipients!: number;
}

/** What `GET /v1/newsletters/:id` returns, and what the tracker answers status queries with. */
@ApiSchema({ name: 'NewsletterViewDto' })
export class NewsletterView {
  @ApiProperty({ format: 'uuid', example: '7f0c2a4e-1b5d-4c1e-9a51-3f2d8e6b9c10' })
  readonly id!: string;

  @ApiProperty({ enum: NEWSLETTER_STATUSES, example: 'completed' })
  readonly status!: NewsletterStatus;

  @ApiProperty({ description: 'Unique recipients once split; the submitted count before that.', example: 2 })
  readonly total!: number;

  @ApiProperty({ example: 2 })
  readonly sent!: number;

  @ApiProperty({ example: 0 })
  readonly failed!: number;

  @ApiProperty({ description: 'Skipped: on the suppression list.', example: 0 })
  readonly suppressed!: number;

  @ApiProperty({ description: 'Not sent: the newsletter was cancelled.', example: 0 })
  readonly cancelled!: number;

  @ApiProperty({ description: 'Recipients whose email bounced for good after the provider accepted it (a hard bounce: a DSN or a provider webhook, via the feedback service); each counted once. Also counted in `sent`.', example: 0 })
  readonly bounced!: number;

  @ApiProperty({ description: 'Recipients who marked it as spam (a feedback-loop report or a provider webhook); each counted once. Also counted in `sent`.', example: 0 })
  readonly complained!: number;

  /*
   * The engagement counts: always in a view made by toNewsletterView (0 without tracking), so
   * required in the API. Optional in the type only for views made without them: a tracker from
   * before them answering a status query during an upgrade, views written out by hand.
   */

  @ApiProperty({
    description:
      'Recipients who opened it (its tracking pixel was loaded), each counted once; 0 unless the newsletter was sent with tracking. ' +
      'An open by a machine (a mail privacy proxy fetching every image) is not one: see `machineOpens`. A lower bound: a reader ' +
      'who does not load images is not seen.',
    example: 0,
  })
  readonly opens!: number;

  @ApiProperty({ description: 'Recipients who followed a tracked link, each counted once.', example: 0 })
  readonly clicks!: number;

  @ApiProperty({ description: 'Tracked links followed, every click counted (a recipient clicking three times counts three).', example: 0 })
  readonly clicksTotal!: number;

  @ApiProperty({
    description: 'Recipients whose copy was opened by a machine (a mail privacy proxy fetching every image), each counted once; not in `opens`.',
    example: 0,
  })
  readonly machineOpens!: number;

  @ApiProperty({
    description:
      "Recipients whose address this newsletter's unsubscribe link (its one-click POST) put on the suppression list, each counted once; " +
      'one who was suppressed already is not counted again. Counted whether or not the newsletter was tracked.',
    example: 0,
  })
  readonly unsubscribes!: number;

  @ApiProperty({
    type: [NewsletterLink],
    description:
      `Clicks per tracked link, most clicked first: ${LINK_BOUND}, ` +
      'then one entry with `url: null` adding up all other links (personalised URLs would otherwise grow without bound). Empty without clicks.',
  })
  readonly links!: readonly NewsletterLink[];

  @ApiProperty({ example: 0 })
  readonly pending!: number;

  @ApiProperty({ example: 0 })
  readonly duplicates!: number;

  @ApiProperty({ type: NewsletterBatches })
  readonly batches!: NewsletterBatches;

  @ApiProperty({ type: [NewsletterRound], description: 'Re-send rounds (retry-failed, re-drive) and their progress.' })
  readonly rounds!: readonly NewsletterRound[];

  @ApiProperty({ format: 'date-time' })
  readonly createdAt!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'When a scheduled newsletter starts; null when it started at once.' })
  readonly sendAt!: string | null;

  @ApiProperty({ description: 'A test send (no list, no suppression list).', example: false })
  readonly test!: boolean;

  @ApiProperty({
    enum: PRIORITIES,
    description:
      "The request's `priority`: its share of the tenant's sending capacity while the tenant's other newsletters are sent at once " +
      '(high 4, normal 2, low 1). `normal` for a newsletter submitted without one, or before priorities existed. A test send ' +
      'or a newsletter to one recipient takes the fast lane whatever this says.',
    example: 'normal',
  })
  readonly priority!: Priority;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'When sending started (the split began).' })
  readonly startedAt!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'When it settled; null while running.' })
  readonly completedAt!: string | null;

  @ApiProperty({ description: 'Recipients settled per second over the last minute.', example: 120.5 })
  readonly ratePerSecond!: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Estimated seconds left at the current rate; null when settled, paused, scheduled or not moving.' })
  readonly etaSeconds!: number | null;

  @ApiPropertyOptional({ description: 'Why the newsletter failed as a whole, when it did.' })
  readonly error?: string;

  @ApiPropertyOptional({
    enum: CANCEL_REASONS,
    description:
      'Why Mailroom cancelled the newsletter by itself; absent when a caller cancelled it. `pause_limit`: it stayed paused longer ' +
      'than the pause limit (21 days by default, all its pauses added up).',
  })
  readonly cancelReason?: CancelReason;
}

/** Request and reply of the tracker's status query (core NATS request/reply). */
export interface NewsletterStatusQuery {
  readonly id: string;
}
export type NewsletterStatusReply =
  | {
      readonly found: true;
      readonly newsletter: NewsletterView;
      /** The record's tenant (absent from a tracker older than tenants, or a record from before them: `tenantOf`). */
      readonly tenant?: string;
    }
  | { readonly found: false };
