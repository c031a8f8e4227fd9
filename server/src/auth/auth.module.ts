import { createSecretKey } from 'node:crypto'
import { Module } from '@nestjs/common'
import { APP_GUARD } from '@nestjs/core'
import { JwtModule } from '@nestjs/jwt'
import { TypeOrmModule } from '@nestjs/typeorm'
import { APP_CONFIG, type AppConfig } from '../config/config'
import { ResidentsModule } from '../residents/residents.module'
import { StaffModule } from '../staff/staff.module'
import { WechatModule } from '../wechat/wechat.module'
import { AuthSession } from './auth-session.entity'
import { AuthController } from './auth.controller'
import { AuthGuard } from './auth.guard'
import { AuthService } from './auth.service'
import { MeController } from './me.controller'
import { RefreshToken } from './refresh-token.entity'
import { TokenService } from './token.service'

@Module({
  imports: [
    TypeOrmModule.forFeature([AuthSession, RefreshToken]),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // As a key object, made once: given the string, jsonwebtoken tries it as a PEM public key first (a
        // parse that throws) and makes a key of it on every sign and check (~5% of a filing's CPU).
        secret: createSecretKey(Buffer.from(config.auth.tokenSecret)) as unknown as Buffer,
        // Pin the algorithm both ways: a token must not choose how it is checked.
        signOptions: { algorithm: 'HS256', issuer: 'mq' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'mq' },
      }),
    }),
    StaffModule,
    ResidentsModule,
    WechatModule,
  ],
  controllers: [AuthController, MeController],
  providers: [TokenService, AuthService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenService, AuthService],
})
export class AuthModule {}
