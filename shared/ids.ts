/**
 * The shapes of the ids and codes that name things in paths, table keys and object keys: one
 * pattern each. None has the `g` flag, so `.test()` keeps no state between calls.
 */

/** A UUID as `crypto.randomUUID()` issues it: dossier, receipt and upload ids. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A slug: procedure, component, group and receiving-point ids. Letters, digits, `-` and `_`, 1 to
 * 80, starting with a letter or digit (no dots, no slashes: nothing that escapes a path or a key).
 */
export const SLUG = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;

/** A ward id as routes, keys and object keys accept it (mã phường/xã); a new one is held to {@link NEW_WARD_ID}. */
export const WARD_ID = /^[a-z0-9-]{1,40}$/;

/** A new ward's id: as {@link WARD_ID}, at least 2 characters, starting with a letter or digit. */
export const NEW_WARD_ID = /^[a-z0-9][a-z0-9-]{1,39}$/;

/** A dossier code (mã hồ sơ), `<ward prefix>-<YYYYMMDD>-<number>`: `BS.HT-20260609-12`. */
export const DOSSIER_CODE = /^[A-Z0-9.]{1,20}-\d{8}-\d{1,8}$/;

/** A personal identity number (số định danh cá nhân / CCCD): 12 digits, or 9 for the old CMND. */
export const ID_NUMBER = /^[0-9]{9}$|^[0-9]{12}$/;

/** A national procedure code on the National Public Service Portal (mã TTHC). */
export const NATIONAL_CODE = /^[0-9A-Za-z.-]{1,30}$/;
