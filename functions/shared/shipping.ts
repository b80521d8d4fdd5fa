/**
 * Creating a shipment. The carrier is chosen by destination and the tracking number derives
 * from the order id, so a redelivered request books the same shipment.
 */
import type { ShippingAddress, Shipment } from '#shared/contracts';
import { digest } from '#shared/payment-gateway';

/** Books the shipment of `orderId` to `address`. */
export function bookShipment(orderId: string, address: ShippingAddress): Shipment {
  const carrier = address.country === 'US' ? 'UPS' : 'DHL';
  const serial = BigInt(`0x${digest(orderId).slice(0, 15)}`).toString().padStart(18, '0');
  return { carrier, trackingNumber: carrier === 'UPS' ? `1Z${serial.slice(0, 16).toUpperCase()}` : `JD${serial}` };
}
