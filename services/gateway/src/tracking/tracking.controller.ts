import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { TRACKING_ROUTES } from '@mailroom/contracts';
import { errorPage, sendPage } from '../unsubscribe/unsubscribe-pages';
import { EngagementService } from './engagement.service';

/** A transparent 1×1 GIF (43 bytes). */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const TOKEN_PARAM = { name: 'token', description: 'The signed token the sender put in the email (no readable address in it).' };

/**
 * The tracked links and open pixels of newsletters sent with `tracking`. Public: no API key; the
 * token's signature is the authorisation. A token that is not ours never redirects anywhere (no
 * open redirect): a small page, 404.
 */
@ApiTags('tracking')
@Controller()
export class TrackingController {
  constructor(private readonly engagement: EngagementService) {}

  @Get(`${TRACKING_ROUTES.click}/:token`)
  @ApiOperation({
    summary: 'Follow a tracked link (public)',
    description: 'Counts the click and redirects (302) to exactly the URL the newsletter linked to. A tampered or unknown token: 404, no redirect.',
  })
  @ApiParam(TOKEN_PARAM)
  @ApiResponse({ status: 302, description: 'To the original URL (`Location`).' })
  @ApiResponse({ status: 404, description: 'Not a link of ours (altered, cut, or signed with another secret): a small page.' })
  async click(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const claim = this.engagement.claimOf(token, 'click');
    if (!claim) {
      sendPage(response, 404, errorPage('Link not valid', 'This link is not valid: it was altered or cut. Open it from the email again.'));
      return;
    }
    await this.engagement.record(claim, token, request.ip);
    response.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    response.redirect(302, claim.url);
  }

  @Get(`${TRACKING_ROUTES.open}/:token`)
  @ApiOperation({
    summary: 'Open pixel (public)',
    description: 'A 1×1 transparent GIF, never cached; loading it with a valid token counts an open. An invalid token gets the same image and counts nothing.',
  })
  @ApiParam(TOKEN_PARAM)
  @ApiProduces('image/gif')
  @ApiResponse({ status: 200, description: 'The pixel.' })
  async open(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const claim = this.engagement.claimOf(token, 'open');
    if (claim) await this.engagement.record(claim, token, request.ip, request.get('user-agent'));
    response
      .status(200)
      .set({
        'Content-Type': 'image/gif',
        'Content-Length': String(PIXEL.length),
        'Cache-Control': 'no-store, no-cache, must-revalidate, max-age=0',
        Pragma: 'no-cache',
        Expires: '0',
      })
      .end(PIXEL);
  }
}
