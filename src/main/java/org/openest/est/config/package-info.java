/**
 * Configuration: {@link org.openest.est.config.ConfigLoader} reads defaults, an external file and the environment
 * once into the immutable {@link org.openest.est.config.EstConfig}. The only package that imports
 * commons-configuration2; nothing else reads properties or the environment.
 */
package org.openest.est.config;
