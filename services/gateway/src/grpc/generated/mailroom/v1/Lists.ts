// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { MethodDefinition } from '@grpc/proto-loader'
import type { DeleteListRequest as _mailroom_v1_DeleteListRequest, DeleteListRequest__Output as _mailroom_v1_DeleteListRequest__Output } from '../../mailroom/v1/DeleteListRequest';
import type { DeleteListResponse as _mailroom_v1_DeleteListResponse, DeleteListResponse__Output as _mailroom_v1_DeleteListResponse__Output } from '../../mailroom/v1/DeleteListResponse';
import type { EraseSubscriberRequest as _mailroom_v1_EraseSubscriberRequest, EraseSubscriberRequest__Output as _mailroom_v1_EraseSubscriberRequest__Output } from '../../mailroom/v1/EraseSubscriberRequest';
import type { ExportSubscriberRequest as _mailroom_v1_ExportSubscriberRequest, ExportSubscriberRequest__Output as _mailroom_v1_ExportSubscriberRequest__Output } from '../../mailroom/v1/ExportSubscriberRequest';
import type { GetSubscriberRequest as _mailroom_v1_GetSubscriberRequest, GetSubscriberRequest__Output as _mailroom_v1_GetSubscriberRequest__Output } from '../../mailroom/v1/GetSubscriberRequest';
import type { ListListsRequest as _mailroom_v1_ListListsRequest, ListListsRequest__Output as _mailroom_v1_ListListsRequest__Output } from '../../mailroom/v1/ListListsRequest';
import type { ListListsResponse as _mailroom_v1_ListListsResponse, ListListsResponse__Output as _mailroom_v1_ListListsResponse__Output } from '../../mailroom/v1/ListListsResponse';
import type { ListSubscribersRequest as _mailroom_v1_ListSubscribersRequest, ListSubscribersRequest__Output as _mailroom_v1_ListSubscribersRequest__Output } from '../../mailroom/v1/ListSubscribersRequest';
import type { ListSubscribersResponse as _mailroom_v1_ListSubscribersResponse, ListSubscribersResponse__Output as _mailroom_v1_ListSubscribersResponse__Output } from '../../mailroom/v1/ListSubscribersResponse';
import type { RemoveSubscriberRequest as _mailroom_v1_RemoveSubscriberRequest, RemoveSubscriberRequest__Output as _mailroom_v1_RemoveSubscriberRequest__Output } from '../../mailroom/v1/RemoveSubscriberRequest';
import type { RemoveSubscriberResponse as _mailroom_v1_RemoveSubscriberResponse, RemoveSubscriberResponse__Output as _mailroom_v1_RemoveSubscriberResponse__Output } from '../../mailroom/v1/RemoveSubscriberResponse';
import type { RenameListRequest as _mailroom_v1_RenameListRequest, RenameListRequest__Output as _mailroom_v1_RenameListRequest__Output } from '../../mailroom/v1/RenameListRequest';
import type { Subscriber as _mailroom_v1_Subscriber, Subscriber__Output as _mailroom_v1_Subscriber__Output } from '../../mailroom/v1/Subscriber';
import type { SubscriberErasure as _mailroom_v1_SubscriberErasure, SubscriberErasure__Output as _mailroom_v1_SubscriberErasure__Output } from '../../mailroom/v1/SubscriberErasure';
import type { SubscriberExport as _mailroom_v1_SubscriberExport, SubscriberExport__Output as _mailroom_v1_SubscriberExport__Output } from '../../mailroom/v1/SubscriberExport';
import type { SubscriberList as _mailroom_v1_SubscriberList, SubscriberList__Output as _mailroom_v1_SubscriberList__Output } from '../../mailroom/v1/SubscriberList';
import type { UpdateSubscriberRequest as _mailroom_v1_UpdateSubscriberRequest, UpdateSubscriberRequest__Output as _mailroom_v1_UpdateSubscriberRequest__Output } from '../../mailroom/v1/UpdateSubscriberRequest';

export interface ListsDefinition {
  DeleteList: MethodDefinition<_mailroom_v1_DeleteListRequest, _mailroom_v1_DeleteListResponse, _mailroom_v1_DeleteListRequest__Output, _mailroom_v1_DeleteListResponse__Output>
  EraseSubscriber: MethodDefinition<_mailroom_v1_EraseSubscriberRequest, _mailroom_v1_SubscriberErasure, _mailroom_v1_EraseSubscriberRequest__Output, _mailroom_v1_SubscriberErasure__Output>
  ExportSubscriber: MethodDefinition<_mailroom_v1_ExportSubscriberRequest, _mailroom_v1_SubscriberExport, _mailroom_v1_ExportSubscriberRequest__Output, _mailroom_v1_SubscriberExport__Output>
  GetSubscriber: MethodDefinition<_mailroom_v1_GetSubscriberRequest, _mailroom_v1_Subscriber, _mailroom_v1_GetSubscriberRequest__Output, _mailroom_v1_Subscriber__Output>
  ListLists: MethodDefinition<_mailroom_v1_ListListsRequest, _mailroom_v1_ListListsResponse, _mailroom_v1_ListListsRequest__Output, _mailroom_v1_ListListsResponse__Output>
  ListSubscribers: MethodDefinition<_mailroom_v1_ListSubscribersRequest, _mailroom_v1_ListSubscribersResponse, _mailroom_v1_ListSubscribersRequest__Output, _mailroom_v1_ListSubscribersResponse__Output>
  RemoveSubscriber: MethodDefinition<_mailroom_v1_RemoveSubscriberRequest, _mailroom_v1_RemoveSubscriberResponse, _mailroom_v1_RemoveSubscriberRequest__Output, _mailroom_v1_RemoveSubscriberResponse__Output>
  RenameList: MethodDefinition<_mailroom_v1_RenameListRequest, _mailroom_v1_SubscriberList, _mailroom_v1_RenameListRequest__Output, _mailroom_v1_SubscriberList__Output>
  UpdateSubscriber: MethodDefinition<_mailroom_v1_UpdateSubscriberRequest, _mailroom_v1_Subscriber, _mailroom_v1_UpdateSubscriberRequest__Output, _mailroom_v1_Subscriber__Output>
}
