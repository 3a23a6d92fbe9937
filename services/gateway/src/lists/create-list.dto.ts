import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsSingleLine } from '../newsletters/text-rules';

export class CreateListDto {
  @ApiProperty({ description: 'What the list is called; one line.', example: 'Monthly readers', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @IsSingleLine()
  name!: string;
}
