import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiKeyGuard, type AuthenticatedRequest } from '../auth/api-key.guard';
import { AuthCaller, RequiresScope, type Caller } from '../auth/caller';
import { CreateListDto } from './create-list.dto';
import { ListImportService, type ImportResult } from './list-import.service';
import { ApiListErrorResponses } from './list-error-responses';
import { ListIdPipe } from './list-id.pipe';
import { CursorPageQueryDto, DeletedListDto, ListPageDto, RenameListDto } from './list-lifecycle.dto';
import { ImportResultDto, ListViewDto } from './list-responses';
import type { ListView } from './list-view';
import { ListsService, type DeletedList, type ListPage } from './lists.service';

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

  @Get()
  @ApiOperation({
    summary: "The caller's lists, a page at a time",
    description: "The caller's tenant's lists, oldest first (ties by id): `?limit=100`, then `&cursor=<next>`. Lists created meanwhile appear on later pages; none is repeated or skipped.",
  })
  @ApiOkResponse({ type: ListPageDto })
  @ApiListErrorResponses(400, 401, 403, 429, 503)
  @RequiresScope('read')
  index(@Query() query: CursorPageQueryDto, @AuthCaller() caller: Caller): Promise<ListPage> {
    return this.lists.page(caller, query.limit ?? 100, query.cursor);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename a list', description: 'Only the name changes; newsletters already sent to the list are not affected.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ListViewDto })
  @ApiListErrorResponses(400, 401, 403, 404, 429, 503)
  @RequiresScope('send')
  rename(@Param('id', ListIdPipe) id: string, @Body() dto: RenameListDto, @AuthCaller() caller: Caller): Promise<ListView> {
    return this.lists.rename(id, dto.name, caller);
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'Delete a list and its stored subscribers',
    description:
      'The list and every stored part of it are removed; the answer says what was removed. Refused (409, naming them) while a newsletter ' +
      'to the list has not settled (scheduled, queued, sending or paused: it reads the list), or while an import to it runs; nothing is ' +
      'changed then: wait for it, or cancel it. Suppressions are not touched.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: DeletedListDto })
  @ApiListErrorResponses(400, 401, 403, 404, 409, 429, 503)
  @RequiresScope('send')
  delete(@Param('id', ListIdPipe) id: string, @AuthCaller() caller: Caller): Promise<DeletedList> {
    return this.lists.delete(id, caller);
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
