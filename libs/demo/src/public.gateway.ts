import { WebSocketGateway } from '@nestjs/websockets';

/** The demo's `/public` namespace: anonymous sockets welcome; a socket that brings a token gets `whoami`. */
@WebSocketGateway({ namespace: '/public' })
export class PublicGateway {}
