import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('importer', { platform: process.platform });
