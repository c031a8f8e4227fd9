import { Module } from '@nestjs/common'
import { WechatMessenger } from './wechat-messenger'
import { WechatClient } from './wechat.client'

@Module({ providers: [WechatClient, WechatMessenger], exports: [WechatClient, WechatMessenger] })
export class WechatModule {}
