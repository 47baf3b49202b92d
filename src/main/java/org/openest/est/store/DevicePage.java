package org.openest.est.store;

import java.util.List;
import java.util.Optional;

/**
 * One page of a device list.
 *
 * @param devices the devices of the page, in id order
 * @param total how many devices match the filter (all pages), or empty if it was not asked for
 * @param next the cursor of the following page (the id of this page's last device: pass it as
 *             {@link FleetQuery#after()}), or empty if this is the last page
 */
public record DevicePage(List<DeviceView> devices, Optional<Long> total, Optional<Long> next) {
    public DevicePage {
        devices = List.copyOf(devices);
    }
}
