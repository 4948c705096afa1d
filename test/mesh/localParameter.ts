/** SSM parameter names the local mesh writes (String for the catalog, CA and cert; SecureString for secrets). */
export const LocalParameter = {
  Catalog: '/meshgate/local/catalog',
  IngressCa: '/meshgate/local/ingress/ca',
  ClientCert: '/meshgate/local/client/cert',
  ClientKey: '/meshgate/local/client/key',
  JwtClientKey: '/meshgate/local/oidc/jwt-key',
  BasicSecret: '/meshgate/local/oidc/basic-secret',
  PostSecret: '/meshgate/local/oidc/post-secret',
  SigningKey: '/meshgate/local/oidc/signing-key',
  /** Base64 FileDescriptorSet of inventory.v1 (the `inventory` service's descriptorParameter). */
  InventoryDescriptor: '/meshgate/local/grpc/inventory-descriptor',
} as const;
export type LocalParameter = (typeof LocalParameter)[keyof typeof LocalParameter];
