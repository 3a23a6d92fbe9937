import { ApiProperty } from '@nestjs/swagger';
import type { Rejection } from './import-report';
import type { ImportResult } from './list-import.service';
import type { ListView } from './list-view';

/** OpenAPI shapes of the list routes' answers; `implements` keeps them in step with the services. */

class ListImportDto {
  @ApiProperty({ format: 'uuid' })
  readonly id!: string;

  @ApiProperty({ enum: ['csv', 'ndjson'], example: 'csv' })
  readonly format!: string;

  @ApiProperty({ description: 'Rows added to the list.', example: 99_990 })
  readonly accepted!: number;

  @ApiProperty({ description: 'Rows refused (invalid address, malformed row …).', example: 5 })
  readonly rejected!: number;

  @ApiProperty({ description: 'Rows whose address was already in the list (this import or an earlier one).', example: 5 })
  readonly duplicates!: number;

  @ApiProperty({ description: 'Size of the uploaded body.', example: 4_700_000 })
  readonly bytes!: number;

  @ApiProperty({ format: 'date-time' })
  readonly importedAt!: string;
}

export class ListViewDto implements ListView {
  @ApiProperty({ format: 'uuid', example: '0b6f3c1e-8a7d-4f0e-9c2b-5d4a3e2f1a00' })
  readonly id!: string;

  @ApiProperty({ example: 'Monthly readers' })
  readonly name!: string;

  @ApiProperty({ description: 'Unique subscribers over all imports.', example: 99_990 })
  readonly subscribers!: number;

  @ApiProperty({ type: [ListImportDto], description: 'Finished imports, oldest first.' })
  readonly imports!: ListImportDto[];

  @ApiProperty({ description: 'An import is running right now.', example: false })
  readonly importing!: boolean;

  @ApiProperty({ format: 'date-time' })
  readonly createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  readonly updatedAt!: string;
}

class RejectionDto implements Rejection {
  @ApiProperty({ description: 'Line of the body (1-based, as an editor shows it; a CSV header is line 1).', example: 17 })
  readonly line!: number;

  @ApiProperty({ example: 'invalid email: missing "@"' })
  readonly reason!: string;
}

export class ImportResultDto implements ImportResult {
  @ApiProperty({ format: 'uuid' })
  readonly importId!: string;

  @ApiProperty({ example: 99_990 })
  readonly accepted!: number;

  @ApiProperty({ example: 5 })
  readonly rejected!: number;

  @ApiProperty({ example: 5 })
  readonly duplicates!: number;

  @ApiProperty({
    description: 'Lines of the body that were neither the CSV header nor blank. Always `accepted + rejected + duplicates`: every line is accounted for.',
    example: 100_000,
  })
  readonly dataLines!: number;

  @ApiProperty({ description: 'Blank lines (nothing but blanks, or commas in a CSV): skipped and counted here.', example: 0 })
  readonly blankLines!: number;

  @ApiProperty({ type: [RejectionDto], description: 'The first 1000 rejected rows, in order.' })
  readonly rejections!: RejectionDto[];

  @ApiProperty({ description: 'More rows were rejected than `rejections` lists.', example: false })
  readonly rejectionsTruncated!: boolean;

  @ApiProperty({ description: "The list's subscribers after this import.", example: 99_990 })
  readonly subscribers!: number;
}
