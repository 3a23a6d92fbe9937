import { applyDecorators, Controller, Get, Param, Post, Res, UseFilters } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { UNSUBSCRIBE_ROUTE } from '@mailroom/contracts';
import { confirmationPage, sendPage, unsubscribedPage } from './unsubscribe-pages';
import { UnsubscribePageFilter } from './unsubscribe-page.filter';
import { UnsubscribeService } from './unsubscribe.service';

const TOKEN_PARAM = { name: 'token', description: 'The signed token of the link in the email (`List-Unsubscribe`, `{{ unsubscribe_url }}`).' };
/** The answers for a bad link: a small page (JSON when the client asks for JSON). */
const ApiBadLinkResponses = () =>
  applyDecorators(
    ApiResponse({ status: 400, description: 'The link is incomplete or damaged (`validation_failed`). Nothing is suppressed.' }),
    ApiResponse({ status: 403, description: 'The link was not signed by this deployment, or was altered (`forbidden`). Nothing is suppressed.' }),
  );

/**
 * The links in every email's List-Unsubscribe header. Public: no API key; the token's signature is
 * the authorisation. GET asks, POST (RFC 8058 one-click, or the page's button) unsubscribes.
 */
@ApiTags('unsubscribe')
@Controller(UNSUBSCRIBE_ROUTE)
@UseFilters(UnsubscribePageFilter)
export class UnsubscribeController {
  constructor(private readonly unsubscribes: UnsubscribeService) {}

  @Get(':token')
  @ApiOperation({
    summary: 'Unsubscribe page (public)',
    description: 'A small page asking to confirm, with a button that POSTs. Never unsubscribes by itself (link scanners fetch links).',
  })
  @ApiParam(TOKEN_PARAM)
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'The confirmation page.' })
  @ApiBadLinkResponses()
  confirm(@Param('token') token: string, @Res() response: Response): void {
    const { email } = this.unsubscribes.claimOf(token);
    sendPage(response, 200, confirmationPage(email));
  }

  @Post(':token')
  @ApiOperation({
    summary: 'Unsubscribe (public, one-click)',
    description:
      'What mail clients call (RFC 8058: body `List-Unsubscribe=One-Click`, form-encoded) and what the page\'s button sends. ' +
      'Suppresses the address at once (reason `unsubscribed`, source the newsletter): later newsletters, and batches of ' +
      'running ones not yet sent, skip it. Repeating it is harmless.',
  })
  @ApiParam(TOKEN_PARAM)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ required: false, schema: { type: 'object', properties: { 'List-Unsubscribe': { type: 'string', example: 'One-Click' } } } })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'Unsubscribed (a page).' })
  @ApiBadLinkResponses()
  @ApiResponse({ status: 503, description: 'NATS is unavailable; nothing changed. Retry.' })
  async unsubscribe(@Param('token') token: string, @Res() response: Response): Promise<void> {
    const { email } = await this.unsubscribes.unsubscribe(token);
    sendPage(response, 200, unsubscribedPage(email));
  }
}
