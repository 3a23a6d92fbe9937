import { Controller, Get, Logger, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { VIEW_ROUTE } from '@mailroom/contracts';
import { sendViewError, sendViewPage, VIEW_ERRORS } from './view-pages';
import { ViewService } from './view.service';

/** Seconds a reader is asked to wait when MAX_VIEWS_IN_FLIGHT pages are being read. */
const BUSY_RETRY_AFTER_S = 2;

/**
 * "View in browser" links (`{{ view_url }}` in a newsletter's templates). Public: no API key; the
 * token's signature is the authorisation. Always a page, `text/html`, never cached or indexed.
 */
@ApiTags('view')
@Controller(VIEW_ROUTE)
export class ViewController {
  private readonly logger = new Logger(ViewController.name);

  constructor(private readonly views: ViewService) {}

  @Get(':token')
  @ApiOperation({
    summary: 'View a newsletter in the browser (public)',
    description:
      "The reader's copy of the newsletter, rendered again with their merge fields and unsubscribe link, without open pixel or tracked links. " +
      'A tampered or unknown token: 404 and a small page, nothing of the newsletter. Once the newsletter is past its retention: 410.',
  })
  @ApiParam({ name: 'token', description: 'The signed token of the link in the email (no readable address in it).' })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: "The newsletter as this reader got it (its HTML, or its text in a `<pre>`). `Cache-Control: private, no-store`, `X-Robots-Tag: noindex`." })
  @ApiResponse({ status: 404, description: 'Not a link of ours (altered, cut, or signed with another secret): a small page.' })
  @ApiResponse({ status: 410, description: 'The newsletter is no longer available (past its retention, or its subscriber list changed since): a small page.' })
  @ApiResponse({ status: 503, description: 'Too many pages being read on this gateway, or NATS is unavailable: a small page (`Retry-After` when busy).' })
  async view(@Param('token') token: string, @Res() response: Response): Promise<void> {
    const claim = this.views.claimOf(token);
    if (!claim) return sendViewError(response, VIEW_ERRORS.invalid);
    let result;
    try {
      result = await this.views.render(claim, token);
    } catch (error) {
      this.logger.warn({ newsletterId: claim.newsletterId, error: (error as Error).message }, 'View page not rendered');
      return sendViewError(response, VIEW_ERRORS.unavailable);
    }
    if (result.kind === 'gone') return sendViewError(response, VIEW_ERRORS.gone);
    if (result.kind === 'busy') return sendViewError(response, VIEW_ERRORS.unavailable, { 'Retry-After': String(BUSY_RETRY_AFTER_S) });
    sendViewPage(response, 200, result.html);
  }
}
