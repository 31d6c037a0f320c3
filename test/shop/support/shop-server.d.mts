export const FAKE_SDK: string;
export const REAL_SDK: string;
export interface ShopServerStats {
  /** HTML page loads by path. */
  loads: Map<string, number>;
  /** Bodies POSTed to /collect, parsed when they are JSON. */
  collect: unknown[];
  /** When each of those arrived (this machine's clock, which is also the server's Date header). */
  collectAt: number[];
  /** Bodies POSTed to /api/simulated. */
  simulated: unknown[];
  notFound: string[];
}
export interface ShopServer {
  base: string;
  stats: ShopServerStats;
  close(): Promise<void>;
}
export function startShopServer(options?: { port?: number; sdk?: string | null; simulatedStatus?: number }): Promise<ShopServer>;
