/**
 * The result-signing key. In the cloud: the KMS key of `SIGNING_KEY_ID` (ECC_NIST_P256,
 * SIGN_VERIFY): `kms:Sign` signs, and verification uses the key's public half, fetched once with
 * `kms:GetPublicKey` and cached (the function is granted Sign and GetPublicKey, not Verify).
 * Locally (`MOTCUA_LOCAL=1`): an ECDSA P-256 key pair made with node:crypto, kept in the PEM file
 * named by `MOTCUA_SIGNING_KEY_FILE` when set (created on first use), else in memory for the
 * life of the process. Both produce DER signatures over SHA-256, as KMS's ECDSA_SHA_256 does.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { SIGNING_ALGORITHM, type Signature, type Signer } from '#shared/signing.ts';
import { ENV } from '#wiring/definitions.ts';
import { requiredEnv } from './clients.ts';

/** Environment variable naming the local key file (PKCS#8 PEM). */
const SIGNING_KEY_FILE_ENV = 'MOTCUA_SIGNING_KEY_FILE';

function verifyDer(key: KeyObject, bytes: Uint8Array, signature: Uint8Array): boolean {
  try {
    return nodeVerify('sha256', bytes, { key, dsaEncoding: 'der' }, signature);
  } catch {
    // Malformed DER, wrong key type: not a valid signature.
    return false;
  }
}

/** The local key pair: same algorithm and signature encoding as the KMS key. */
export class LocalSigner implements Signer {
  readonly keyId: string;
  private readonly publicKey: KeyObject;

  private constructor(private readonly privateKey: KeyObject) {
    this.publicKey = createPublicKey(privateKey);
    const spki = this.publicKey.export({ format: 'der', type: 'spki' });
    this.keyId = `local:${createHash('sha256').update(spki).digest('hex').slice(0, 16)}`;
  }

  /** A new key pair in memory. */
  static generate(): LocalSigner {
    return new LocalSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  }

  /** The key in `file`, created there (mode 0600) if the file does not exist yet. */
  static fromFile(file: string): LocalSigner {
    try {
      return new LocalSigner(createPrivateKey(readFileSync(file, 'utf8')));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const signer = LocalSigner.generate();
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, signer.privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
      return signer;
    } catch (e) {
      // Another process created it first: use theirs.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return LocalSigner.fromFile(file);
      throw e;
    }
  }

  async sign(bytes: Uint8Array): Promise<Signature> {
    const signature = nodeSign('sha256', bytes, { key: this.privateKey, dsaEncoding: 'der' });
    return { signature: new Uint8Array(signature), keyId: this.keyId, algorithm: SIGNING_ALGORITHM };
  }

  async verify(bytes: Uint8Array, signature: Uint8Array, keyId: string): Promise<boolean> {
    return keyId === this.keyId && verifyDer(this.publicKey, bytes, signature);
  }
}

/** The KMS key; verification against its cached public key. */
export class KmsSigner implements Signer {
  private publicKey: Promise<{ key: KeyObject; keyArn?: string }> | undefined;

  constructor(
    private readonly kms: KMSClient,
    /** SIGNING_KEY_ID: the key ARN (an alias works too; KMS reports the key ARN it resolves to). */
    private readonly keyId: string,
  ) {}

  async sign(bytes: Uint8Array): Promise<Signature> {
    const r = await this.kms.send(
      new SignCommand({ KeyId: this.keyId, Message: bytes, MessageType: 'RAW', SigningAlgorithm: SIGNING_ALGORITHM }),
    );
    if (!r.Signature) throw new Error('KMS returned no signature');
    return { signature: r.Signature, keyId: r.KeyId ?? this.keyId, algorithm: SIGNING_ALGORITHM };
  }

  async verify(bytes: Uint8Array, signature: Uint8Array, keyId: string): Promise<boolean> {
    const { key, keyArn } = await this.key();
    // Only our key: a stored record naming another key is not ours to vouch for.
    if (keyId !== this.keyId && keyId !== keyArn) return false;
    return verifyDer(key, bytes, signature);
  }

  private key(): Promise<{ key: KeyObject; keyArn?: string }> {
    this.publicKey ??= this.kms
      .send(new GetPublicKeyCommand({ KeyId: this.keyId }))
      .then((r) => {
        if (!r.PublicKey) throw new Error('KMS returned no public key');
        const key = createPublicKey({ key: Buffer.from(r.PublicKey), format: 'der', type: 'spki' });
        return { key, ...(r.KeyId ? { keyArn: r.KeyId } : {}) };
      })
      .catch((e: unknown) => {
        // Not cached: the next verification asks again.
        this.publicKey = undefined;
        throw e;
      });
    return this.publicKey;
  }
}

let signer: Signer | undefined;

/** The process's signer, built once: local or KMS by MOTCUA_LOCAL. */
export function resultSigner(): Signer {
  if (!signer) {
    if (process.env[ENV.local] === '1') {
      const file = process.env[SIGNING_KEY_FILE_ENV];
      signer = file ? LocalSigner.fromFile(file) : LocalSigner.generate();
    } else {
      signer = new KmsSigner(new KMSClient({}), requiredEnv(ENV.signingKeyId));
    }
  }
  return signer;
}
