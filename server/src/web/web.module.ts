import { Module } from '@nestjs/common'
import { PlacesModule } from '../places/places.module'
import { WebController } from './web.controller'

@Module({ imports: [PlacesModule], controllers: [WebController] })
export class WebModule {}
