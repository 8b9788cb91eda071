import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { DataSource } from 'typeorm';

class EchoAddress {
  @IsString()
  @MaxLength(40)
  city!: string;
}

class EchoBody {
  @IsString()
  @MaxLength(50)
  name!: string;

  @IsInt()
  @Min(1)
  @Max(10)
  count!: number;

  @ValidateNested()
  @Type(() => EchoAddress)
  address!: EchoAddress;
}

/** Endpoints that exist only in tests, to exercise the global pipeline (pipes, filter, limits). */
@Controller('test-fixture')
class FixtureController {
  constructor(private readonly dataSource: DataSource) {}

  @Post('echo')
  echo(@Body() body: EchoBody): EchoBody {
    return body;
  }

  @Get('boom')
  boom(): never {
    throw new Error('secret internal detail: connection string postgres://user:pw@db/prod');
  }

  @Get('bad-sql')
  async badSql(): Promise<unknown> {
    return this.dataSource.query('SELECT * FROM table_that_does_not_exist WHERE secret_column = 1');
  }
}

@Module({ controllers: [FixtureController] })
export class FixtureModule {}
