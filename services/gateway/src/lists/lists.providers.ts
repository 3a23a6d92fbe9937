import type { Provider, Type } from '@nestjs/common';
import { SubscribersController } from '../subscribers/subscribers.controller';
import { SubscribersService } from '../subscribers/subscribers.service';
import { ListImportService } from './list-import.service';
import { ListSubscribersController } from './list-subscribers.controller';
import { ListSubscribersService } from './list-subscribers.service';
import { ListUsage } from './list-usage';
import { ListsController } from './lists.controller';
import { ListsService } from './lists.service';

/** Everything the list and subscriber routes (and newsletters sent to a list) need, for the gateway's module. */
export const LIST_PROVIDERS: Provider[] = [ListsService, ListImportService, ListUsage, ListSubscribersService, SubscribersService];

/** The list and subscriber routes. */
export const LIST_CONTROLLERS: Type[] = [ListsController, ListSubscribersController, SubscribersController];
