import type { Provider } from '@nestjs/common';
import { ListImportService } from './list-import.service';
import { ListsService } from './lists.service';

/** Everything the list routes (and newsletters sent to a list) need, for the gateway's module. */
export const LIST_PROVIDERS: Provider[] = [ListsService, ListImportService];
