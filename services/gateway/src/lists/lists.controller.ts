import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiKeyGuard, type AuthenticatedRequest } from '../auth/api-key.guard';
import { AuthCaller, RequiresScope, type Caller } from '../auth/caller';
import { CreateListDto } from './create-list.dto';
import { ListImportService, type ImportResult } from './list-import.service';
import { ApiListErrorResponses } from './list-error-responses';
import { ListIdPipe } from './list-id.pipe';
import { ImportResultDto, ListViewDto } from './list-responses';
import type { ListView } from './list-view';
import { ListsService } from './lists.service';

@ApiTags('lists')
@ApiBearerAuth()
@Controller('v1/lists')
@UseGuards(ApiKeyGuard)
export class ListsController {
  constructor(
    private readonly lists: ListsService,
    private readonly imports: ListImportService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a subscriber list', description: 'An empty list; import subscribers into it, then send newsletters to it (`listId`).' })
  @ApiCreatedResponse({ type: ListViewDto })
  @ApiListErrorResponses(400, 401, 403, 413, 415, 429, 503)
  @RequiresScope('send')
  create(@Body() dto: CreateListDto, @AuthCaller() caller: Caller): Promise<ListView> {
    return this.lists.create(dto.name, caller);
  }

  @Get(':id')
  @ApiOperation({ summary: "A list's subscribers and imports" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ListViewDto })
  @ApiListErrorResponses(400, 401, 403, 404, 429, 503)
  @RequiresScope('read')
  get(@Param('id', ListIdPipe) id: string, @AuthCaller() caller: Caller): Promise<ListView> {
    return this.lists.get(id, caller);
  }

  @Post(':id/subscribers')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import subscribers (CSV or NDJSON, streamed)',
    description:
      'Adds subscribers to the list as the body arrives (up to `MAX_IMPORT_BYTES`; never held in memory whole). ' +
      'CSV: a header row naming the columns, `email` required, `name` optional, every other column a merge field ' +
      '(`vars`). NDJSON: one `{"email", "name"?, …columns}` per line. Each row is checked like an inline recipient; ' +
      'rows with an address already in the list (this import or an earlier one) are counted as duplicates; invalid ' +
      'rows are refused with their line number. Imports append; one import at a time per list. A body that cannot ' +
      'be read as a whole (no header, no email column, too large) adds nothing.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiConsumes('text/csv', 'application/x-ndjson')
  @ApiBody({
    description: 'UTF-8, uncompressed.',
    schema: { type: 'string', example: 'email,name,city\nann@example.org,Ann,Oslo\nbob@example.org,,Lyon\n' },
  })
  @ApiOkResponse({ type: ImportResultDto })
  @ApiListErrorResponses(400, 401, 403, 404, 409, 413, 415, 429, 503)
  @RequiresScope('send')
  async import(
    @Param('id', ListIdPipe) id: string,
    @Req() request: AuthenticatedRequest,
    @AuthCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ImportResult> {
    const length = request.headers['content-length'];
    try {
      return await this.imports.import(
        id,
        {
          body: request,
          contentType: request.headers['content-type'],
          contentEncoding: request.headers['content-encoding'],
          contentLength: length === undefined ? undefined : Number(length),
        },
        caller,
      );
    } catch (error) {
      // Refused before the upload ended: close the connection rather than read the rest of it.
      if (!request.complete) response.setHeader('Connection', 'close');
      throw error;
    }
  }
}
