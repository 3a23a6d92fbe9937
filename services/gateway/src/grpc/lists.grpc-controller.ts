import { Controller, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Metadata } from '@grpc/grpc-js';
import { RequiresScope } from '../auth/caller';
import { ValidationFailedError } from '../http/api-errors';
import { assertListId } from '../lists/list-id.pipe';
import { CursorPageQueryDto, RenameListDto } from '../lists/list-lifecycle.dto';
import { ListSubscribersService, type SubscriberView } from '../lists/list-subscribers.service';
import type { ListView } from '../lists/list-view';
import { ListsService } from '../lists/lists.service';
import { SubscribersService } from '../subscribers/subscribers.service';
import { SuppressedAddressPipe } from '../suppressions/suppressed-address.pipe';
import type { Complete } from './complete-message';
import type { DeleteListRequest__Output } from './generated/mailroom/v1/DeleteListRequest';
import type { DeleteListResponse } from './generated/mailroom/v1/DeleteListResponse';
import type { EraseSubscriberRequest__Output } from './generated/mailroom/v1/EraseSubscriberRequest';
import type { ExportSubscriberRequest__Output } from './generated/mailroom/v1/ExportSubscriberRequest';
import type { GetSubscriberRequest__Output } from './generated/mailroom/v1/GetSubscriberRequest';
import type { ListListsRequest__Output } from './generated/mailroom/v1/ListListsRequest';
import type { ListListsResponse } from './generated/mailroom/v1/ListListsResponse';
import type { ListsDefinition } from './generated/mailroom/v1/Lists';
import type { ListSubscribersRequest__Output } from './generated/mailroom/v1/ListSubscribersRequest';
import type { ListSubscribersResponse } from './generated/mailroom/v1/ListSubscribersResponse';
import type { RemoveSubscriberRequest__Output } from './generated/mailroom/v1/RemoveSubscriberRequest';
import type { RemoveSubscriberResponse } from './generated/mailroom/v1/RemoveSubscriberResponse';
import type { RenameListRequest__Output } from './generated/mailroom/v1/RenameListRequest';
import type { Subscriber } from './generated/mailroom/v1/Subscriber';
import type { SubscriberErasure } from './generated/mailroom/v1/SubscriberErasure';
import type { SubscriberExport } from './generated/mailroom/v1/SubscriberExport';
import type { SubscriberList } from './generated/mailroom/v1/SubscriberList';
import type { UpdateSubscriberRequest__Output } from './generated/mailroom/v1/UpdateSubscriberRequest';
import { GrpcAuthGuard } from './grpc-auth.guard';
import { GrpcCallLogInterceptor } from './grpc-call-log.interceptor';
import { callerOf } from './grpc-caller';
import { GrpcErrorFilter } from './grpc-error.filter';
import { grpcRpcOf } from './grpc-rpc.decorator';
import { GrpcValidation } from './grpc-validation';

const Rpc = grpcRpcOf<ListsDefinition>('Lists');
const addresses = new SuppressedAddressPipe();

function toListMessage(view: ListView): Complete<SubscriberList> {
  return { ...view, imports: view.imports.map((i) => ({ ...i })) };
}

function toSubscriberMessage(view: SubscriberView): Complete<Subscriber> {
  return { email: view.email, ...(view.name !== null ? { name: view.name } : {}), vars: { ...view.vars } };
}

/**
 * `mailroom.v1.Lists` (libs/contracts/proto/mailroom/v1/newsletters.proto): the list and subscriber
 * lifecycle routes over gRPC, through the same services, validation and errors. Map, call, map.
 */
@ApiExcludeController()
@Controller()
@UseGuards(GrpcAuthGuard)
@UseFilters(GrpcErrorFilter)
@UseInterceptors(GrpcCallLogInterceptor)
export class ListsGrpcController {
  constructor(
    private readonly lists: ListsService,
    private readonly subscribers: ListSubscribersService,
    private readonly people: SubscribersService,
    private readonly validation: GrpcValidation,
  ) {}

  @Rpc('ListLists')
  @RequiresScope('read')
  async listLists(request: ListListsRequest__Output, metadata: Metadata): Promise<Complete<ListListsResponse>> {
    const page = await this.validation.query(CursorPageQueryDto, { limit: request.limit || undefined, cursor: request.cursor || undefined });
    const { items, next } = await this.lists.page(callerOf(metadata), page.limit ?? 100, page.cursor);
    return { items: items.map(toListMessage), ...(next !== null ? { next } : {}) };
  }

  @Rpc('RenameList')
  @RequiresScope('send')
  async renameList(request: RenameListRequest__Output, metadata: Metadata): Promise<Complete<SubscriberList>> {
    const id = assertListId(request.id);
    const dto = await this.validation.body(RenameListDto, { name: request.name ?? '' });
    return toListMessage(await this.lists.rename(id, dto.name, callerOf(metadata)));
  }

  @Rpc('DeleteList')
  @RequiresScope('send')
  async deleteList(request: DeleteListRequest__Output, metadata: Metadata): Promise<Complete<DeleteListResponse>> {
    return { ...(await this.lists.delete(assertListId(request.id), callerOf(metadata))) };
  }

  @Rpc('ListSubscribers')
  @RequiresScope('read')
  async listSubscribers(request: ListSubscribersRequest__Output, metadata: Metadata): Promise<Complete<ListSubscribersResponse>> {
    const id = assertListId(request.id);
    const page = await this.validation.query(CursorPageQueryDto, { limit: request.limit || undefined, cursor: request.cursor || undefined });
    const { items, next } = await this.subscribers.page(id, callerOf(metadata), page.limit ?? 100, page.cursor);
    return { items: items.map(toSubscriberMessage), ...(next !== null ? { next } : {}) };
  }

  @Rpc('GetSubscriber')
  @RequiresScope('read')
  async getSubscriber(request: GetSubscriberRequest__Output, metadata: Metadata): Promise<Complete<Subscriber>> {
    const id = assertListId(request.id);
    return toSubscriberMessage(await this.subscribers.get(id, addresses.transform(request.email), callerOf(metadata)));
  }

  @Rpc('UpdateSubscriber')
  @RequiresScope('send')
  async updateSubscriber(request: UpdateSubscriberRequest__Output, metadata: Metadata): Promise<Complete<Subscriber>> {
    const id = assertListId(request.id);
    const email = addresses.transform(request.email);
    const set = request.vars ?? {};
    const vars: Record<string, string | null> = { ...set, ...Object.fromEntries(request.removeVars.map((name) => [name, null])) };
    const overlap = request.removeVars.find((name) => name in set);
    if (overlap !== undefined) throw new ValidationFailedError(`vars.${overlap} is both set and removed`, `vars.${overlap}`);
    const changesVars = Object.keys(vars).length > 0;
    if (request.name === undefined && !changesVars) throw new ValidationFailedError('name or vars is required (what to change)', 'name');
    const patch = { ...(request.name !== undefined ? { name: request.name } : {}), ...(changesVars ? { vars } : {}) };
    return toSubscriberMessage(await this.subscribers.update(id, email, patch, callerOf(metadata)));
  }

  @Rpc('RemoveSubscriber')
  @RequiresScope('send')
  async removeSubscriber(request: RemoveSubscriberRequest__Output, metadata: Metadata): Promise<Complete<RemoveSubscriberResponse>> {
    const id = assertListId(request.id);
    const { removed, subscribers } = await this.subscribers.remove(id, addresses.transform(request.email), callerOf(metadata));
    return { removed: toSubscriberMessage(removed), subscribers };
  }

  @Rpc('ExportSubscriber')
  @RequiresScope('read')
  async exportSubscriber(request: ExportSubscriberRequest__Output, metadata: Metadata): Promise<Complete<SubscriberExport>> {
    const exported = await this.people.export(addresses.transform(request.email), callerOf(metadata));
    const tenant = exported.suppression.tenant;
    return {
      email: exported.email,
      lists: exported.lists.map((l) => ({ listId: l.listId, listName: l.listName, subscriber: toSubscriberMessage(l.subscriber) })),
      ...(tenant ? { tenantSuppressionReason: tenant.reason, tenantSuppressedAt: tenant.at } : {}),
      tenantSuppressionErased: tenant?.erased === true,
      ...(exported.suppression.global ? { globalSuppressionReason: exported.suppression.global.reason } : {}),
      deliveries: exported.deliveries.map((d) => ({
        newsletterId: d.newsletterId,
        state: d.state,
        at: d.at,
        attempts: d.attempts,
        ...(d.code !== undefined ? { code: d.code } : {}),
        ...(d.reason !== undefined ? { reason: d.reason } : {}),
        ...(d.bouncedAt ? { bouncedAt: d.bouncedAt } : {}),
        ...(d.complainedAt ? { complainedAt: d.complainedAt } : {}),
        ...(d.openedAt ? { openedAt: d.openedAt } : {}),
        ...(d.clickedAt ? { clickedAt: d.clickedAt } : {}),
      })),
    };
  }

  @Rpc('EraseSubscriber')
  @RequiresScope('send')
  async eraseSubscriber(request: EraseSubscriberRequest__Output, metadata: Metadata): Promise<Complete<SubscriberErasure>> {
    const erased = await this.people.erase(addresses.transform(request.email), callerOf(metadata));
    return {
      removedFrom: erased.removedFrom.map((l) => ({ ...l })),
      ...(erased.suppression.replacedReason !== null ? { replacedReason: erased.suppression.replacedReason } : {}),
      globalSuppression: erased.suppression.global,
    };
  }
}
