// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { MethodDefinition } from '@grpc/proto-loader'
import type { CancelNewsletterRequest as _mailroom_v1_CancelNewsletterRequest, CancelNewsletterRequest__Output as _mailroom_v1_CancelNewsletterRequest__Output } from '../../mailroom/v1/CancelNewsletterRequest';
import type { GetNewsletterRequest as _mailroom_v1_GetNewsletterRequest, GetNewsletterRequest__Output as _mailroom_v1_GetNewsletterRequest__Output } from '../../mailroom/v1/GetNewsletterRequest';
import type { ListFailuresRequest as _mailroom_v1_ListFailuresRequest, ListFailuresRequest__Output as _mailroom_v1_ListFailuresRequest__Output } from '../../mailroom/v1/ListFailuresRequest';
import type { ListFailuresResponse as _mailroom_v1_ListFailuresResponse, ListFailuresResponse__Output as _mailroom_v1_ListFailuresResponse__Output } from '../../mailroom/v1/ListFailuresResponse';
import type { Newsletter as _mailroom_v1_Newsletter, Newsletter__Output as _mailroom_v1_Newsletter__Output } from '../../mailroom/v1/Newsletter';
import type { PauseNewsletterRequest as _mailroom_v1_PauseNewsletterRequest, PauseNewsletterRequest__Output as _mailroom_v1_PauseNewsletterRequest__Output } from '../../mailroom/v1/PauseNewsletterRequest';
import type { ResumeNewsletterRequest as _mailroom_v1_ResumeNewsletterRequest, ResumeNewsletterRequest__Output as _mailroom_v1_ResumeNewsletterRequest__Output } from '../../mailroom/v1/ResumeNewsletterRequest';
import type { RetryFailedRequest as _mailroom_v1_RetryFailedRequest, RetryFailedRequest__Output as _mailroom_v1_RetryFailedRequest__Output } from '../../mailroom/v1/RetryFailedRequest';
import type { RetryFailedResponse as _mailroom_v1_RetryFailedResponse, RetryFailedResponse__Output as _mailroom_v1_RetryFailedResponse__Output } from '../../mailroom/v1/RetryFailedResponse';
import type { SendNewsletterRequest as _mailroom_v1_SendNewsletterRequest, SendNewsletterRequest__Output as _mailroom_v1_SendNewsletterRequest__Output } from '../../mailroom/v1/SendNewsletterRequest';
import type { SendNewsletterResponse as _mailroom_v1_SendNewsletterResponse, SendNewsletterResponse__Output as _mailroom_v1_SendNewsletterResponse__Output } from '../../mailroom/v1/SendNewsletterResponse';
import type { WatchNewsletterRequest as _mailroom_v1_WatchNewsletterRequest, WatchNewsletterRequest__Output as _mailroom_v1_WatchNewsletterRequest__Output } from '../../mailroom/v1/WatchNewsletterRequest';

export interface NewslettersDefinition {
  CancelNewsletter: MethodDefinition<_mailroom_v1_CancelNewsletterRequest, _mailroom_v1_Newsletter, _mailroom_v1_CancelNewsletterRequest__Output, _mailroom_v1_Newsletter__Output>
  GetNewsletter: MethodDefinition<_mailroom_v1_GetNewsletterRequest, _mailroom_v1_Newsletter, _mailroom_v1_GetNewsletterRequest__Output, _mailroom_v1_Newsletter__Output>
  ListFailures: MethodDefinition<_mailroom_v1_ListFailuresRequest, _mailroom_v1_ListFailuresResponse, _mailroom_v1_ListFailuresRequest__Output, _mailroom_v1_ListFailuresResponse__Output>
  PauseNewsletter: MethodDefinition<_mailroom_v1_PauseNewsletterRequest, _mailroom_v1_Newsletter, _mailroom_v1_PauseNewsletterRequest__Output, _mailroom_v1_Newsletter__Output>
  ResumeNewsletter: MethodDefinition<_mailroom_v1_ResumeNewsletterRequest, _mailroom_v1_Newsletter, _mailroom_v1_ResumeNewsletterRequest__Output, _mailroom_v1_Newsletter__Output>
  RetryFailed: MethodDefinition<_mailroom_v1_RetryFailedRequest, _mailroom_v1_RetryFailedResponse, _mailroom_v1_RetryFailedRequest__Output, _mailroom_v1_RetryFailedResponse__Output>
  SendNewsletter: MethodDefinition<_mailroom_v1_SendNewsletterRequest, _mailroom_v1_SendNewsletterResponse, _mailroom_v1_SendNewsletterRequest__Output, _mailroom_v1_SendNewsletterResponse__Output>
  WatchNewsletter: MethodDefinition<_mailroom_v1_WatchNewsletterRequest, _mailroom_v1_Newsletter, _mailroom_v1_WatchNewsletterRequest__Output, _mailroom_v1_Newsletter__Output>
}
